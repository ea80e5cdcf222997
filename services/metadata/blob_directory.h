// BlobDirectory: what metadata asks the blob service (BlobsInternalService): to check a
// commit, that the blob exists, came from the upload's own session, and what its
// layout is (the client names the blob; metadata never takes its word for the rest);
// to abandon the session of an aborted upload; and to count which versions use a blob.
#pragma once

#include <grpcpp/channel.h>

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/blobs/v1/blobs.pb.h"

namespace bitcontent::metadata {

class BlobDirectory {
 public:
  static constexpr absl::Duration kCallTimeout = absl::Seconds(5);

  // Calls BlobsInternalService on `blobs`; null means no --blobs_target, and every call
  // answers UNAVAILABLE saying so.
  explicit BlobDirectory(std::shared_ptr<grpc::Channel> blobs) : blobs_(std::move(blobs)) {}

  // The blob `name` ("blobs/{blob}"); NOT_FOUND when blobs has none.
  absl::StatusOr<blobs::v1::Blob> Get(absl::string_view name) const;

  // Abandons the upload session `name` ("uploadSessions/{upload_session}"), so its
  // chunks are collected; OK when it never began.
  absl::Status AbortSession(absl::string_view name) const;

  // Records that the version `reference` ("nodes/{node}/versions/{version}") uses the
  // blob `blob`, or no longer does; each is idempotent. NOT_FOUND when blobs has no
  // such blob.
  absl::Status AddReference(absl::string_view blob, absl::string_view reference) const;
  absl::Status RemoveReference(absl::string_view blob, absl::string_view reference) const;

 private:
  const std::shared_ptr<grpc::Channel> blobs_;
};

}  // namespace bitcontent::metadata
