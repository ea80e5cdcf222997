#include "services/metadata/blob_directory.h"

#include "bitcontent/blobs/v1/blobs_internal_service.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/kit/reply.h"

namespace bitcontent::metadata {

namespace {

absl::Status NoBlobs() {
  return absl::UnavailableError("metadata has no --blobs_target, so it cannot reach the blobs");
}

}  // namespace

absl::Status BlobDirectory::AbortSession(absl::string_view name) const {
  if (blobs_ == nullptr) return NoBlobs();
  blobs::v1::AbortUploadSessionInternalRequest request;
  request.set_name(std::string(name));
  blobs::v1::UploadSession session;
  auto context = kit::NewCallContext(kCallTimeout);
  const grpc::Status status = blobs::v1::BlobsInternalService::NewStub(blobs_)->AbortUploadSession(
      context.get(), request, &session);
  return kit::FromCall(status, *context);
}

absl::StatusOr<blobs::v1::Blob> BlobDirectory::Get(absl::string_view name) const {
  if (blobs_ == nullptr) return NoBlobs();
  blobs::v1::GetBlobInternalRequest request;
  request.set_name(std::string(name));
  blobs::v1::Blob blob;
  auto context = kit::NewCallContext(kCallTimeout);
  const grpc::Status status =
      blobs::v1::BlobsInternalService::NewStub(blobs_)->GetBlob(context.get(), request, &blob);
  if (!status.ok()) return kit::FromCall(status, *context);
  return blob;
}

absl::Status BlobDirectory::AddReference(absl::string_view blob,
                                         absl::string_view reference) const {
  if (blobs_ == nullptr) return NoBlobs();
  blobs::v1::AddBlobReferenceRequest request;
  request.set_blob(std::string(blob));
  request.set_reference(std::string(reference));
  blobs::v1::Blob counted;
  auto context = kit::NewCallContext(kCallTimeout);
  return kit::FromCall(blobs::v1::BlobsInternalService::NewStub(blobs_)->AddBlobReference(
                           context.get(), request, &counted),
                       *context);
}

absl::Status BlobDirectory::RemoveReference(absl::string_view blob,
                                            absl::string_view reference) const {
  if (blobs_ == nullptr) return NoBlobs();
  blobs::v1::RemoveBlobReferenceRequest request;
  request.set_blob(std::string(blob));
  request.set_reference(std::string(reference));
  blobs::v1::Blob counted;
  auto context = kit::NewCallContext(kCallTimeout);
  return kit::FromCall(blobs::v1::BlobsInternalService::NewStub(blobs_)->RemoveBlobReference(
                           context.get(), request, &counted),
                       *context);
}

}  // namespace bitcontent::metadata
