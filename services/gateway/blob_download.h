// BlobDownload: GET /v1/blobs/{blob}:download, a blob's ciphertext as one HTTP body,
// whole (200) or one range of it (206 with Content-Range; 416 past the end), streamed
// from blobs' ReadRange as the client reads it: one gRPC message (at most 1 MiB) at a
// time, never the whole file in memory. The READ grant rides in Bitcontent-Grant.
#pragma once

#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "libs/http/request.h"
#include "libs/http/response.h"

namespace bitcontent::gateway {

// The longest a download's body may take (the stream's deadline).
inline constexpr absl::Duration kDownloadTimeMax = absl::Hours(1);

// Answers `request` through `reply`, asking blobs on `channel` for the blob's size
// within `timeout`, then streaming its bytes within kDownloadTimeMax.
void StartBlobDownload(std::shared_ptr<grpc::Channel> channel, const http::Request& request,
                       const std::string& request_id, absl::Duration timeout,
                       std::function<void(http::Response)> reply);

}  // namespace bitcontent::gateway
