#include "services/blobs/blobs_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/grant.h"
#include "libs/kit/error_details.h"
#include "libs/kit/reply.h"

namespace bitcontent::blobs {
namespace {

using common::v1::ERROR_REASON_GRANT_INVALID;

absl::string_view IdOfName(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

}  // namespace

absl::StatusOr<v1::GrantClaims> BlobsService::UploadGrant(absl::string_view grant,
                                                          absl::string_view session) const {
  absl::StatusOr<v1::GrantClaims> claims =
      auth::VerifyGrant(grant, v1::GRANT_PERMISSION_UPLOAD, *grant_keys_, absl::Now());
  if (!claims.ok()) {
    if (refresher_ != nullptr && claims.status().message() == "unknown signing key") {
      refresher_->RequestRefresh();
    }
    return kit::WithReason(claims.status(), ERROR_REASON_GRANT_INVALID);
  }
  if (!session.empty() && claims->upload_session() != session) {
    return kit::WithReason(absl::PermissionDeniedError(absl::StrCat(
                               "this grant is for ", claims->upload_session(), ", not ", session)),
                           ERROR_REASON_GRANT_INVALID);
  }
  return claims;
}

grpc::Status BlobsService::BeginUploadSession(grpc::ServerContext* context,
                                              const v1::BeginUploadSessionRequest* request,
                                              v1::UploadSession* response) {
  absl::StatusOr<v1::GrantClaims> grant = UploadGrant(request->grant(), "");
  if (!grant.ok()) return kit::Reply(context, grant.status());
  return kit::Reply(context,
                    sessions_->Begin(IdOfName(grant->upload_session()), grant->max_size_bytes(),
                                     {.chunk_count = request->chunk_count(),
                                      .chunk_size_bytes = request->chunk_size_bytes(),
                                      .last_chunk_size_bytes = request->last_chunk_size_bytes()},
                                     absl::Now()),
                    response);
}

grpc::Status BlobsService::PutChunk(grpc::ServerContext* context,
                                    const v1::PutChunkRequest* request,
                                    v1::PutChunkResponse* response) {
  absl::StatusOr<v1::GrantClaims> grant = UploadGrant(request->grant(), request->upload_session());
  if (!grant.ok()) return kit::Reply(context, grant.status());
  absl::StatusOr<PutResult> put =
      sessions_->Put(IdOfName(grant->upload_session()), request->index(), request->hash(),
                     request->data(), absl::Now());
  if (!put.ok()) return kit::Reply(context, put.status());
  response->set_index(request->index());
  response->set_hash(request->hash());
  response->set_already_present(put->already_present);
  response->set_received_chunk_count(put->received_chunk_count);
  response->set_received_bytes(put->received_bytes);
  return grpc::Status::OK;
}

grpc::Status BlobsService::GetUploadSession(grpc::ServerContext* context,
                                            const v1::GetUploadSessionRequest* request,
                                            v1::UploadSession* response) {
  absl::StatusOr<v1::GrantClaims> grant = UploadGrant(request->grant(), request->name());
  if (!grant.ok()) return kit::Reply(context, grant.status());
  return kit::Reply(context, sessions_->Get(IdOfName(grant->upload_session()), absl::Now()),
                    response);
}

grpc::Status BlobsService::CommitUploadSession(grpc::ServerContext* context,
                                               const v1::CommitUploadSessionRequest* request,
                                               v1::Blob* response) {
  absl::StatusOr<v1::GrantClaims> grant = UploadGrant(request->grant(), request->name());
  if (!grant.ok()) return kit::Reply(context, grant.status());
  return kit::Reply(context, sessions_->Commit(IdOfName(grant->upload_session()), absl::Now()),
                    response);
}

}  // namespace bitcontent::blobs
