// The gRPC surface of the blobs service. Every BlobsService call carries a capability
// grant from metadata, verified here with metadata's published keys (no call back per
// chunk); the session or blob it names is the only one the call may touch. RPCs of
// proto/bitcontent/blobs/v1/ not built yet answer UNIMPLEMENTED with a message naming the
// method (see the kit's interceptor), never a silent success.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "bitcontent/blobs/v1/blobs_admin_service.grpc.pb.h"
#include "bitcontent/blobs/v1/blobs_internal_service.grpc.pb.h"
#include "bitcontent/blobs/v1/blobs_service.grpc.pb.h"
#include "bitcontent/blobs/v1/grants.pb.h"
#include "libs/auth/key_ring.h"
#include "libs/kit/key_refresher.h"
#include "services/blobs/blob_reader.h"
#include "services/blobs/blob_references.h"
#include "services/blobs/chunk_reply.h"
#include "services/blobs/garbage_collector.h"
#include "services/blobs/provider_states.h"
#include "services/blobs/scrubber.h"
#include "services/blobs/upload_sessions.h"

namespace bitcontent::blobs {

class BlobsService final : public v1::BlobsService::Service {
 public:
  // All must outlive the service; `refresher` may be null.
  BlobsService(UploadSessions* sessions, const BlobReader* reader, const auth::KeyRing* grant_keys,
               kit::KeyRefresher* refresher);

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
  grpc::Status AbortUploadSession(grpc::ServerContext* context,
                                  const v1::AbortUploadSessionRequest* request,
                                  v1::UploadSession* response) override;
  grpc::Status GetBlob(grpc::ServerContext* context, const v1::GetBlobRequest* request,
                       v1::Blob* response) override;
  grpc::Status ListChunks(grpc::ServerContext* context, const v1::ListChunksRequest* request,
                          v1::ListChunksResponse* response) override;
  // ReadChunk, answered with the chunk's bytes where they were read (chunk_reply.h).
  grpc::Status ReadChunkInPlace(grpc::ServerContext* context,
                                grpc::ServerUnaryStreamer<v1::ReadChunkRequest, ChunkReply>* call);
  grpc::Status ReadChunks(grpc::ServerContext* context, const v1::ReadChunksRequest* request,
                          grpc::ServerWriter<v1::ReadChunkResponse>* writer) override;
  // The blob's ciphertext bytes [offset, offset + length) in pieces of at most 1 MiB,
  // reading only the chunks the range touches.
  grpc::Status ReadRange(grpc::ServerContext* context, const v1::ReadRangeRequest* request,
                         grpc::ServerWriter<v1::ReadRangeResponse>* writer) override;

 private:
  // The claims of `grant` for `permission`.
  absl::StatusOr<v1::GrantClaims> Verify(absl::string_view grant,
                                         v1::GrantPermission permission) const;
  // The claims of an UPLOAD grant, which must name `session` when that is not empty.
  absl::StatusOr<v1::GrantClaims> UploadGrant(absl::string_view grant,
                                              absl::string_view session) const;
  // The blob `blob` names, if `grant` is a READ grant for it.
  absl::StatusOr<v1::Blob> ReadableBlob(absl::string_view grant, absl::string_view blob) const;

  UploadSessions* const sessions_;
  const BlobReader* const reader_;
  const auth::KeyRing* const grant_keys_;
  kit::KeyRefresher* const refresher_;
};

// What metadata asks without a grant: a blob and the session it came from, to check a
// commit; which versions refer to which blob; aborting abandoned uploads.
class BlobsInternalService final : public v1::BlobsInternalService::Service {
 public:
  // All must outlive the service.
  BlobsInternalService(UploadSessions* sessions, const BlobReader* reader,
                       BlobReferences* references)
      : sessions_(sessions), reader_(reader), references_(references) {}

  grpc::Status GetBlob(grpc::ServerContext* context, const v1::GetBlobInternalRequest* request,
                       v1::Blob* response) override;
  grpc::Status GetUploadSession(grpc::ServerContext* context,
                                const v1::GetUploadSessionInternalRequest* request,
                                v1::UploadSession* response) override;
  grpc::Status AbortUploadSession(grpc::ServerContext* context,
                                  const v1::AbortUploadSessionInternalRequest* request,
                                  v1::UploadSession* response) override;
  // Idempotent per reference (BlobReferences::Add); NOT_FOUND for a blob not committed
  // or already collected.
  grpc::Status AddBlobReference(grpc::ServerContext* context,
                                const v1::AddBlobReferenceRequest* request,
                                v1::Blob* response) override;
  // Idempotent per reference (BlobReferences::Remove); NOT_FOUND for a blob not
  // committed or already collected, which metadata takes as done.
  grpc::Status RemoveBlobReference(grpc::ServerContext* context,
                                   const v1::RemoveBlobReferenceRequest* request,
                                   v1::Blob* response) override;

 private:
  UploadSessions* const sessions_;
  const BlobReader* const reader_;
  BlobReferences* const references_;
};

// Operators' calls: the providers and their modes, scrubbing and garbage collection
// (each run to the end within the call; the last runs stay readable with GetScrubRun and
// GetGarbageCollectionRun until the service restarts, the periodic collections too).
// Only operators reach this service: blobs' own port is internal to the suite, and the
// gateway lets only operator sessions call an AdminService.
class BlobsAdminService final : public v1::BlobsAdminService::Service {
 public:
  // All must outlive the service.
  BlobsAdminService(const Placement* placement, ProviderStates* states, Scrubber* scrubber,
                    GarbageCollector* collector)
      : placement_(placement), states_(states), scrubber_(scrubber), collector_(collector) {}

  grpc::Status ListProviders(grpc::ServerContext* context, const v1::ListProvidersRequest* request,
                             v1::ListProvidersResponse* response) override;
  // Stores the mode and applies it to the calls that start after it; see
  // ProviderStates::SetMode for the errors.
  grpc::Status SetProviderMode(grpc::ServerContext* context,
                               const v1::SetProviderModeRequest* request,
                               v1::Provider* response) override;
  grpc::Status StartScrub(grpc::ServerContext* context, const v1::StartScrubRequest* request,
                          v1::ScrubRun* response) override;
  grpc::Status GetScrubRun(grpc::ServerContext* context, const v1::GetScrubRunRequest* request,
                           v1::ScrubRun* response) override;
  grpc::Status StartGarbageCollection(grpc::ServerContext* context,
                                      const v1::StartGarbageCollectionRequest* request,
                                      v1::GarbageCollectionRun* response) override;
  grpc::Status GetGarbageCollectionRun(grpc::ServerContext* context,
                                       const v1::GetGarbageCollectionRunRequest* request,
                                       v1::GarbageCollectionRun* response) override;

 private:
  const Placement* const placement_;
  ProviderStates* const states_;
  Scrubber* const scrubber_;
  GarbageCollector* const collector_;
  RecentRuns<v1::ScrubRun> scrub_runs_;
};

}  // namespace bitcontent::blobs
