// The gRPC surface of the blobs service. Every BlobsService call carries a capability
// grant from metadata, verified here with metadata's published keys (no call back per
// chunk); the session or blob it names is the only one the call may touch. RPCs of
// proto/bitcontent/blobs/v1/ not built yet answer UNIMPLEMENTED with a message naming the
// method (see the kit's interceptor), never a silent success.
#pragma once

#include "absl/status/statusor.h"
#include "bitcontent/blobs/v1/blobs_admin_service.grpc.pb.h"
#include "bitcontent/blobs/v1/blobs_internal_service.grpc.pb.h"
#include "bitcontent/blobs/v1/blobs_service.grpc.pb.h"
#include "bitcontent/blobs/v1/grants.pb.h"
#include "libs/auth/key_ring.h"
#include "libs/kit/key_refresher.h"
#include "services/blobs/upload_sessions.h"

namespace bitcontent::blobs {

class BlobsService final : public v1::BlobsService::Service {
 public:
  // All must outlive the service; `refresher` may be null.
  BlobsService(UploadSessions* sessions, const auth::KeyRing* grant_keys,
               kit::KeyRefresher* refresher)
      : sessions_(sessions), grant_keys_(grant_keys), refresher_(refresher) {}

  grpc::Status BeginUploadSession(grpc::ServerContext* context,
                                  const v1::BeginUploadSessionRequest* request,
                                  v1::UploadSession* response) override;
  grpc::Status PutChunk(grpc::ServerContext* context, const v1::PutChunkRequest* request,
                        v1::PutChunkResponse* response) override;
  grpc::Status GetUploadSession(grpc::ServerContext* context,
                                const v1::GetUploadSessionRequest* request,
                                v1::UploadSession* response) override;
  grpc::Status CommitUploadSession(grpc::ServerContext* context,
                                   const v1::CommitUploadSessionRequest* request,
                                   v1::Blob* response) override;

 private:
  // The claims of an UPLOAD grant, which must name `session` when that is not empty.
  absl::StatusOr<v1::GrantClaims> UploadGrant(absl::string_view grant,
                                              absl::string_view session) const;

  UploadSessions* const sessions_;
  const auth::KeyRing* const grant_keys_;
  kit::KeyRefresher* const refresher_;
};

class BlobsInternalService final : public v1::BlobsInternalService::Service {};
class BlobsAdminService final : public v1::BlobsAdminService::Service {};

}  // namespace bitcontent::blobs
