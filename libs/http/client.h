// A small synchronous HTTP/1.1 client for tests and tools (not for service-to-service
// traffic, which is gRPC).
//
// Fetch() makes one request on a fresh connection. A Client keeps its connection open
// between Send() calls (keep-alive), reconnecting only when it has none — after Close(),
// an error, a response that closed it, or 15 s unused (servers close idle connections);
// a request on a kept-alive connection the server closed anyway, answered with not a
// byte, is sent once more on a new one. Every call has a deadline: the timeout covers
// connecting, sending and receiving the whole response. A Client is not thread-safe;
// use one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "libs/http/headers.h"

namespace bitcontent::http {

struct ClientOptions {
  // An IP literal (no brackets) or a name; name lookup is not bounded by `timeout`.
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  absl::Duration timeout = absl::Seconds(5);          // Per request, end to end.
  size_t response_body_bytes_max = size_t{64} << 20;  // Larger: ResourceExhausted.
};

struct ClientRequest {
  std::string method = "GET";
  std::string target = "/";  // Path and query, already percent-encoded.
  Headers headers;           // Host and Content-Length are added when absent.
  std::string body;
  // Where a successful (2xx) response body of known length goes when it fits, instead of
  // a string made for it: memory the caller keeps and reuses (a download's chunks).
  absl::Span<char> body_buffer = {};
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;  // empty when the body went to the request's body_buffer
  // The bytes read into the request's body_buffer; nullopt when the body is in `body`.
  std::optional<size_t> body_buffer_bytes;

  // Returns the first header called `name` (any case), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }
};

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends `request` on the open connection (opening one if needed) and reads the whole
  // response. Returns DeadlineExceeded after the timeout, Unavailable when connecting or
  // the exchange fails (the connection is then closed), ResourceExhausted for a response
  // body over the limit. A failed request is not retried: it may have been processed.
  absl::StatusOr<ClientResponse> Send(const ClientRequest& request);

  // Returns true while a connection is open (the server may still have closed its end).
  bool connected() const;

  // Closes the connection, if any.
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Sends one request on a new connection (with Connection: close) and returns the response.
absl::StatusOr<ClientResponse> Fetch(const ClientOptions& options, const ClientRequest& request);

}  // namespace bitcontent::http
