// ServerOptions: the knobs of an http::Server, each with a bound, and their defaults.
//
// The defaults suit an admin listener (/metrics, /healthz) and are a sound start for a
// public front door; the gateway raises io_threads to the core count.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/http/response.h"

namespace bitcontent::http {

struct ServerOptions {
  // "host:port" to listen on; port 0 picks a free port (see Server::port()). Use
  // "[::1]:0" for IPv6 and "0.0.0.0:8080" for every IPv4 interface.
  std::string address = "127.0.0.1:0";

  // Threads running the event loop and the (synchronous) handlers.
  int io_threads = 1;

  // Largest request body accepted; a larger one is answered 413 and the connection
  // closed.
  size_t request_body_bytes_max = size_t{1} << 20;

  // Largest request line plus header fields; larger is answered 431 and closed.
  size_t request_header_bytes_max = size_t{16} << 10;

  // Most open connections; connections accepted beyond it are closed at once.
  size_t connections_max = 10000;

  // How long a keep-alive connection may wait for the first byte of its next request.
  absl::Duration idle_timeout = absl::Seconds(30);

  // How long a request (header and body) may take to arrive once it has started.
  absl::Duration read_timeout = absl::Seconds(10);

  // How long writing one response may take.
  absl::Duration write_timeout = absl::Seconds(10);

  // How long Stop() waits for in-flight requests to finish before it abandons them.
  absl::Duration stop_timeout = absl::Seconds(5);

  // Makes the answers the server gives on its own, before any handler (a malformed
  // request 400, a header too large 431, a body too large 413, a malformed path or
  // query 400): the HTTP status, the gRPC code and a message. Unset: Response::Error.
  // A front door sets it to give those answers its own error shape and request id.
  std::function<Response(int http_status, absl::StatusCode code, std::string_view message)>
      error_response = nullptr;
};

}  // namespace bitcontent::http
