#include "services/blobs/blobs_service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/grant.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/kit/log.h"
#include "libs/kit/pagination.h"
#include "libs/kit/reply.h"
#include "libs/kit/resource_names.h"
#include "services/blobs/garbage_collection_loop.h"

namespace bitcontent::blobs {
namespace {

using common::v1::ERROR_REASON_GRANT_INVALID;

// Whether the caller asked for the chunk's file instead of its bytes, with the metadata
// ReadChunkResponse.file names (the gateway's chunk_file.h sends it).
bool WantsFile(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  const auto asked = metadata.find("x-bitcontent-chunk-file");
  return asked != metadata.end() && asked->second == "ok";
}

}  // namespace

absl::StatusOr<v1::GrantClaims> BlobsService::Verify(absl::string_view grant,
                                                     v1::GrantPermission permission) const {
  absl::StatusOr<v1::GrantClaims> claims =
      auth::VerifyGrant(grant, permission, *grant_keys_, absl::Now());
  if (claims.ok()) return claims;
  // A key metadata made since the last refresh: fetch it now for the client's retry.
  if (refresher_ != nullptr && claims.status().message() == "unknown signing key") {
    refresher_->RequestRefresh();
  }
  return kit::WithReason(claims.status(), ERROR_REASON_GRANT_INVALID);
}

absl::StatusOr<v1::GrantClaims> BlobsService::UploadGrant(absl::string_view grant,
                                                          absl::string_view session) const {
  absl::StatusOr<v1::GrantClaims> claims = Verify(grant, v1::GRANT_PERMISSION_UPLOAD);
  if (!claims.ok()) return claims.status();
  if (!session.empty() && claims->upload_session() != session) {
    return kit::WithReason(absl::PermissionDeniedError(absl::StrCat(
                               "this grant is for ", claims->upload_session(), ", not ", session)),
                           ERROR_REASON_GRANT_INVALID);
  }
  return claims;
}

absl::StatusOr<v1::Blob> BlobsService::ReadableBlob(absl::string_view grant,
                                                    absl::string_view blob) const {
  absl::StatusOr<v1::GrantClaims> claims = Verify(grant, v1::GRANT_PERMISSION_READ);
  if (!claims.ok()) return claims.status();
  if (claims->blob() != blob) {
    return kit::WithReason(
        absl::PermissionDeniedError(absl::StrCat("this grant is for ", claims->blob(), ", not ",
                                                 blob.empty() ? "(no blob named)" : blob)),
        ERROR_REASON_GRANT_INVALID);
  }
  return reader_->Get(kit::IdOfName(claims->blob()));
}

grpc::Status BlobsService::BeginUploadSession(grpc::ServerContext* context,
                                              const v1::BeginUploadSessionRequest* request,
                                              v1::UploadSession* response) {
  absl::StatusOr<v1::GrantClaims> grant = UploadGrant(request->grant(), "");
  if (!grant.ok()) return kit::Reply(context, grant.status());
  return kit::Reply(
      context,
      sessions_->Begin(kit::IdOfName(grant->upload_session()), grant->max_size_bytes(),
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
      sessions_->Put(kit::IdOfName(grant->upload_session()), request->index(), request->hash(),
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
  return kit::Reply(context, sessions_->Get(kit::IdOfName(grant->upload_session()), absl::Now()),
                    response);
}

grpc::Status BlobsService::CommitUploadSession(grpc::ServerContext* context,
                                               const v1::CommitUploadSessionRequest* request,
                                               v1::Blob* response) {
  absl::StatusOr<v1::GrantClaims> grant = UploadGrant(request->grant(), request->name());
  if (!grant.ok()) return kit::Reply(context, grant.status());
  return kit::Reply(context, sessions_->Commit(kit::IdOfName(grant->upload_session()), absl::Now()),
                    response);
}

grpc::Status BlobsService::AbortUploadSession(grpc::ServerContext* context,
                                              const v1::AbortUploadSessionRequest* request,
                                              v1::UploadSession* response) {
  absl::StatusOr<v1::GrantClaims> grant = UploadGrant(request->grant(), request->name());
  if (!grant.ok()) return kit::Reply(context, grant.status());
  return kit::Reply(context, sessions_->Abort(kit::IdOfName(grant->upload_session()), absl::Now()),
                    response);
}

grpc::Status BlobsService::GetBlob(grpc::ServerContext* context, const v1::GetBlobRequest* request,
                                   v1::Blob* response) {
  return kit::Reply(context, ReadableBlob(request->grant(), request->name()), response);
}

grpc::Status BlobsService::ListChunks(grpc::ServerContext* context,
                                      const v1::ListChunksRequest* request,
                                      v1::ListChunksResponse* response) {
  absl::StatusOr<v1::Blob> blob = ReadableBlob(request->grant(), request->blob());
  if (!blob.ok()) return kit::Reply(context, blob.status());
  absl::StatusOr<size_t> page_size =
      kit::PageSizeOf(request->page_size(), {.default_size = 1000, .max = BlobReader::kHashesMax});
  if (!page_size.ok()) return kit::Reply(context, page_size.status());
  uint32_t first = 0;
  if (!request->page_token().empty() &&
      (!absl::SimpleAtoi(request->page_token(), &first) || first >= blob->chunk_count())) {
    return kit::Reply(context,
                      kit::FieldError("page_token", "is not a token this listing returned"));
  }
  absl::StatusOr<std::vector<v1::ChunkInfo>> hashes =
      reader_->Hashes(*blob, first, static_cast<uint32_t>(*page_size));
  if (!hashes.ok()) return kit::Reply(context, hashes.status());
  for (v1::ChunkInfo& info : *hashes) *response->add_chunks() = std::move(info);
  const uint64_t next = uint64_t{first} + response->chunks_size();
  if (next < blob->chunk_count()) response->set_next_page_token(absl::StrCat(next));
  return grpc::Status::OK;
}

BlobsService::BlobsService(UploadSessions* sessions, const BlobReader* reader,
                           const auth::KeyRing* grant_keys, kit::KeyRefresher* refresher)
    : sessions_(sessions), reader_(reader), grant_keys_(grant_keys), refresher_(refresher) {
  // Methods are numbered in the order the proto declares them.
  const int read_chunk = v1::ReadChunkRequest::descriptor()
                             ->file()
                             ->FindServiceByName("BlobsService")
                             ->FindMethodByName("ReadChunk")
                             ->index();
  MarkMethodStreamed(read_chunk,
                     new grpc::internal::StreamedUnaryHandler<v1::ReadChunkRequest, ChunkReply>(
                         [this](grpc::ServerContext* context,
                                grpc::ServerUnaryStreamer<v1::ReadChunkRequest, ChunkReply>* call) {
                           return ReadChunkInPlace(context, call);
                         }));
}

grpc::Status BlobsService::ReadChunkInPlace(
    grpc::ServerContext* context,
    grpc::ServerUnaryStreamer<v1::ReadChunkRequest, ChunkReply>* call) {
  v1::ReadChunkRequest request;
  if (!call->Read(&request)) return grpc::Status::CANCELLED;  // The client went away.
  absl::StatusOr<v1::Blob> blob = ReadableBlob(request.grant(), request.blob());
  if (!blob.ok()) return kit::Reply(context, blob.status());
  absl::StatusOr<Chunk> chunk =
      reader_->Read(*blob, request.index(), request.verify(), WantsFile(*context));
  if (!chunk.ok()) return kit::Reply(context, chunk.status());
  const ChunkReply reply = {.index = chunk->index,
                            .hash = std::move(chunk->hash),
                            .data = std::move(chunk->data),
                            .file = std::move(chunk->file)};
  if (!call->Write(reply)) return grpc::Status::CANCELLED;
  return grpc::Status::OK;
}

grpc::Status BlobsService::ReadChunks(grpc::ServerContext* context,
                                      const v1::ReadChunksRequest* request,
                                      grpc::ServerWriter<v1::ReadChunkResponse>* writer) {
  absl::StatusOr<v1::Blob> blob = ReadableBlob(request->grant(), request->blob());
  if (!blob.ok()) return kit::Reply(context, blob.status());
  if (request->first_index() >= blob->chunk_count()) {
    return kit::Reply(context,
                      kit::FieldError("first_index", absl::StrCat("must be below the blob's ",
                                                                  blob->chunk_count(), " chunks")));
  }
  const uint64_t end = request->count() == 0
                           ? blob->chunk_count()
                           : std::min<uint64_t>(uint64_t{request->first_index()} + request->count(),
                                                blob->chunk_count());
  for (uint64_t index = request->first_index(); index < end; ++index) {
    if (context->IsCancelled()) return grpc::Status::CANCELLED;
    absl::StatusOr<Chunk> chunk = reader_->Read(*blob, static_cast<uint32_t>(index));
    if (!chunk.ok()) return kit::Reply(context, chunk.status());
    v1::ReadChunkResponse message;
    message.set_index(chunk->index);
    message.set_hash(std::move(chunk->hash));
    message.set_data(std::string(chunk->data.view()));
    if (!writer->Write(message)) return grpc::Status::CANCELLED;  // The client went away.
  }
  return grpc::Status::OK;
}

grpc::Status BlobsService::ReadRange(grpc::ServerContext* context,
                                     const v1::ReadRangeRequest* request,
                                     grpc::ServerWriter<v1::ReadRangeResponse>* writer) {
  constexpr uint64_t kPieceBytesMax = 1 << 20;
  absl::StatusOr<v1::Blob> blob = ReadableBlob(request->grant(), request->blob());
  if (!blob.ok()) return kit::Reply(context, blob.status());
  const uint64_t size = blob->size_bytes();
  const uint64_t offset = request->range().offset();
  if (offset >= size) {
    return kit::Reply(context, absl::OutOfRangeError(
                                   absl::StrCat("range starts at ", offset, ", past the end of ",
                                                blob->name(), " (", size, " bytes)")));
  }
  const uint64_t length = request->range().length();
  const uint64_t end = length == 0 || length > size - offset ? size : offset + length;
  // Every chunk but the last has the same size, so a byte's chunk is offset / that size.
  const uint64_t stride = blob->chunk_size_bytes();
  bool first = true;
  for (uint64_t at = offset; at < end;) {
    if (context->IsCancelled()) return grpc::Status::CANCELLED;
    const auto index = static_cast<uint32_t>(at / stride);
    absl::StatusOr<Chunk> chunk = reader_->Read(*blob, index);
    if (!chunk.ok()) return kit::Reply(context, chunk.status());
    const uint64_t chunk_start = uint64_t{index} * stride;
    const uint64_t chunk_end = std::min<uint64_t>(chunk_start + chunk->data.size(), end);
    while (at < chunk_end) {
      const uint64_t piece = std::min<uint64_t>(kPieceBytesMax, chunk_end - at);
      v1::ReadRangeResponse message;
      message.set_offset(at);
      message.set_data(std::string(chunk->data.view().substr(at - chunk_start, piece)));
      if (first) message.set_blob_size_bytes(size);
      first = false;
      if (!writer->Write(message)) return grpc::Status::CANCELLED;
      at += piece;
    }
  }
  return grpc::Status::OK;
}

grpc::Status BlobsInternalService::GetBlob(grpc::ServerContext* context,
                                           const v1::GetBlobInternalRequest* request,
                                           v1::Blob* response) {
  absl::StatusOr<std::string> id = kit::IdIn(request->name(), "blobs", "name");
  if (!id.ok()) return kit::Reply(context, id.status());
  return kit::Reply(context, reader_->Get(*id), response);
}

grpc::Status BlobsInternalService::GetUploadSession(
    grpc::ServerContext* context, const v1::GetUploadSessionInternalRequest* request,
    v1::UploadSession* response) {
  absl::StatusOr<std::string> id = kit::IdIn(request->name(), "uploadSessions", "name");
  if (!id.ok()) return kit::Reply(context, id.status());
  return kit::Reply(context, sessions_->Get(*id, absl::Now()), response);
}

grpc::Status BlobsInternalService::AbortUploadSession(
    grpc::ServerContext* context, const v1::AbortUploadSessionInternalRequest* request,
    v1::UploadSession* response) {
  absl::StatusOr<std::string> id = kit::IdIn(request->name(), "uploadSessions", "name");
  if (!id.ok()) return kit::Reply(context, id.status());
  absl::StatusOr<v1::UploadSession> aborted = sessions_->Abort(*id, absl::Now());
  // A session that never began has nothing to collect.
  if (absl::IsNotFound(aborted.status())) return grpc::Status::OK;
  return kit::Reply(context, std::move(aborted), response);
}

grpc::Status BlobsInternalService::AddBlobReference(grpc::ServerContext* context,
                                                    const v1::AddBlobReferenceRequest* request,
                                                    v1::Blob* response) {
  return kit::Reply(context, references_->Add(request->blob(), request->reference()), response);
}

grpc::Status BlobsInternalService::RemoveBlobReference(
    grpc::ServerContext* context, const v1::RemoveBlobReferenceRequest* request,
    v1::Blob* response) {
  return kit::Reply(
      context, references_->Remove(request->blob(), request->reference(), absl::Now()), response);
}

grpc::Status BlobsAdminService::StartGarbageCollection(
    grpc::ServerContext* context, const v1::StartGarbageCollectionRequest* request,
    v1::GarbageCollectionRun* response) {
  *response = collector_->Run(request->dry_run(), absl::Now());
  LogGarbageCollectionRun(*response);
  return grpc::Status::OK;
}

grpc::Status BlobsAdminService::ListProviders(grpc::ServerContext* context,
                                              const v1::ListProvidersRequest* request,
                                              v1::ListProvidersResponse* response) {
  for (size_t i = 0; i < placement_->providers().size(); ++i) {
    const NamedProvider& named = placement_->providers()[i];
    absl::StatusOr<v1::Provider> described = states_->Describe(i);
    if (!described.ok()) return kit::Reply(context, described.status());
    v1::Provider* provider = response->add_providers();
    *provider = *std::move(described);
    // A cheap probe: the size of an object no chunk is named after; "not found" is a
    // healthy answer.
    absl::StatusOr<uint64_t> probe = named.provider->Size(std::string(64, '0'));
    const bool healthy = probe.ok() || absl::IsNotFound(probe.status());
    provider->set_healthy(healthy);
    if (!healthy) provider->set_last_error(std::string(probe.status().message()));
    *provider->mutable_last_probe_time() = auth::ProtoFromTime(absl::Now());
  }
  return grpc::Status::OK;
}

grpc::Status BlobsAdminService::SetProviderMode(grpc::ServerContext* context,
                                                const v1::SetProviderModeRequest* request,
                                                v1::Provider* response) {
  absl::StatusOr<v1::Provider> provider = states_->SetMode(*request);
  if (provider.ok()) {
    kit::Log(spdlog::level::info, "provider mode set",
             {{"provider", provider->name()}, {"mode", v1::ProviderMode_Name(provider->mode())}});
  }
  return kit::Reply(context, std::move(provider), response);
}

grpc::Status BlobsAdminService::StartScrub(grpc::ServerContext* context,
                                           const v1::StartScrubRequest* request,
                                           v1::ScrubRun* response) {
  if (!request->provider().empty()) {
    bool known = false;
    for (const NamedProvider& named : placement_->providers()) {
      known = known || request->provider() == absl::StrCat("providers/", named.name);
    }
    if (!known) {
      return kit::Reply(context, kit::FieldError("provider", "names no configured provider"));
    }
  }
  *response = scrubber_->Run(*request, absl::Now());
  scrub_runs_.Add(*response);
  return grpc::Status::OK;
}

grpc::Status BlobsAdminService::GetScrubRun(grpc::ServerContext* context,
                                            const v1::GetScrubRunRequest* request,
                                            v1::ScrubRun* response) {
  return kit::Reply(context, scrub_runs_.Find(request->name()), response);
}

grpc::Status BlobsAdminService::GetGarbageCollectionRun(
    grpc::ServerContext* context, const v1::GetGarbageCollectionRunRequest* request,
    v1::GarbageCollectionRun* response) {
  return kit::Reply(context, collector_->recent_runs().Find(request->name()), response);
}

}  // namespace bitcontent::blobs
