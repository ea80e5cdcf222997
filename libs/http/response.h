// Response: what a handler returns; the server turns it into HTTP/1.1 bytes.
//
// The server adds Date, Server, Content-Length (on every status but 204 and 304, which
// HTTP forbids it on) and Connection itself, so handlers set only status, content type,
// their own headers and the body; a handler's copies of those five are ignored, and a
// header whose name or value could forge others (CR, LF) is dropped. A status outside
// 200..599 is answered as 500. Use the factories for the common shapes, and Error for
// every error body, as the server does for its own 400/404/405/413/431/500 answers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/http/headers.h"

namespace bitcontent::http {

// A body sent while it is produced (a download), instead of Response::body.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Calls `done` once, from any thread, with the next piece (not empty), or an error:
  // the connection then closes, since the length it announced cannot be kept. The
  // server asks again only once the piece is written, so pieces are never buffered up.
  virtual void Next(std::function<void(absl::StatusOr<std::string>)> done) = 0;
};

// A body in memory the handler already holds (the slices of a gRPC message), sent as it
// is instead of being copied into Response::body: a chunk is a MiB, and each copy of it
// costs as much as the socket write.
struct BorrowedBody {
  std::vector<std::string_view> pieces;
  // Keeps `pieces` alive until they are written.
  std::shared_ptr<const void> owner;
};

// A body the kernel reads from a file straight into the socket (sendfile): the bytes
// never pass through this process. `length` bytes of `fd` from `offset`; a file that
// ends sooner closes the connection, as a broken stream does.
struct FileBody {
  // Takes `fd`, which is closed when the last copy of the body goes.
  static FileBody Own(int fd, uint64_t offset, uint64_t length);

  int fd = -1;
  uint64_t offset = 0;
  uint64_t length = 0;
  std::shared_ptr<const void> owner = {};
};

struct Response {
  int status = 200;                                        // 200..599.
  std::string content_type = "text/plain; charset=utf-8";  // Empty: no Content-Type.
  Headers headers;                                         // Extra header fields.
  std::string body;
  // When set, the body comes from here instead: exactly `stream_length` bytes, announced
  // as the Content-Length.
  std::shared_ptr<BodyStream> stream = {};
  uint64_t stream_length = 0;
  // When set (and `stream` is not), the body is these bytes instead, in order.
  std::optional<BorrowedBody> borrowed = {};
  // When set (and neither of the two above is), the body is read from this file.
  std::optional<FileBody> file = {};

  // A response with `body` as plain UTF-8 text.
  static Response Text(int status, std::string body);

  // A response whose `body` is already a JSON document.
  static Response Json(int status, std::string body);

  // The error shape used across the suite: {"code":<gRPC code>,"message":"..."}, where
  // the code is `code`'s numeric value (absl status codes are the gRPC codes).
  static Response Error(int status, absl::StatusCode code, std::string_view message);
};

// Returns `text` escaped for use inside a JSON string literal (without the quotes).
std::string JsonEscape(std::string_view text);

}  // namespace bitcontent::http
