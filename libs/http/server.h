// Server: an asynchronous HTTP/1.1 server with a small router, for every service's admin
// listener (/metrics, /healthz) and for the gateway's public REST front door.
//
//   http::Server server({.address = "127.0.0.1:0"});
//   server.Route("GET", "/v1/files/{id}", [](const http::Request& request) {
//     return http::Response::Json(200, Describe(request.PathParam("id")));
//   });
//   absl::Status status = server.Start();
//   ... server.port() ...
//   server.Stop();  // Also done by the destructor.
//
// Routes may also be declared on a Router first and handed to the constructor.
//
// Connections are kept alive and their requests answered one at a time, in order. Each
// request is read whole (bounded by ServerOptions) before its handler runs. Handlers
// run on the I/O threads, so they should be quick: a synchronous handler returns its
// answer; an asynchronous one starts its work and answers later, from any thread,
// through a Responder (see router.h). Unknown paths get
// 404, other methods on a known path 405 with Allow, oversized bodies 413, and a handler
// that throws 500; every error body is {"code":<gRPC code>,"message":"..."}.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "libs/http/request.h"
#include "libs/http/response.h"
#include "libs/http/router.h"
#include "libs/http/server_options.h"

namespace bitcontent::http {

class Listener;
struct ServerState;

class Server {
 public:
  // A server for `options`, serving the routes already declared on `router`.
  explicit Server(ServerOptions options = {}, Router router = {});
  ~Server();  // Calls Stop().
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Declares `handler` for `method` on `pattern` (see router.h for the pattern syntax).
  // Routes are wiring, fixed before Start(): a malformed or repeated route, or one
  // declared after Start(), is a programming error, so it prints the reason and aborts.
  void Route(std::string_view method, std::string_view pattern, Handler handler);

  // Like Route, for a handler that answers later through its Responder.
  void RouteAsync(std::string_view method, std::string_view pattern, AsyncHandler handler);

  // Validates the options, binds the listening socket and starts the I/O threads.
  // Returns InvalidArgument for bad options, Unavailable naming the address when it
  // cannot be bound (e.g. the port is in use), FailedPrecondition if already started.
  // A failed Start() may be retried.
  absl::Status Start();

  // Stops accepting, closes idle connections, lets requests being handled finish and
  // be answered (with Connection: close), then joins the I/O threads. Waits at most
  // ServerOptions::stop_timeout for those requests, plus however long a handler that is
  // still running takes to return. Idempotent; not to be called from a handler.
  void Stop();

  // The bound port (useful with port 0), or 0 before a successful Start().
  uint16_t port() const;

  // The bound address as "host:port", or empty before a successful Start().
  std::string address() const;

  const ServerOptions& options() const;

 private:
  // Aborts when a route is declared after Start().
  void RequireNotStarted(std::string_view method, std::string_view pattern) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(lifecycle_mu_);

  // Serialises Route, Start and Stop; never held by the I/O threads.
  absl::Mutex lifecycle_mu_;
  const std::shared_ptr<ServerState> state_;
  std::unique_ptr<Listener> listener_ ABSL_GUARDED_BY(lifecycle_mu_);
  bool started_ ABSL_GUARDED_BY(lifecycle_mu_) = false;

  // Guards what port() and address() read, so handlers may call them during Stop().
  mutable absl::Mutex address_mu_;
  uint16_t port_ ABSL_GUARDED_BY(address_mu_) = 0;
  std::string address_ ABSL_GUARDED_BY(address_mu_);
};

}  // namespace bitcontent::http
