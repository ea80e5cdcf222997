// RestGateway: the public REST front door. It turns the route table into http::Router
// routes and serves each request the same way:
//
//   X-Request-Id (kept when usable, generated otherwise) and CORS on every answer ->
//   body limit (413) -> Identify (401/403) -> transcode the request (400) -> Admit
//   (revocation 401, rate limits 429, Redis down 503) -> call the service with the
//   request id, a deadline and the caller's access token -> JSON answer, or the error
//   in the one shape (error_response.h).
//
// Redis checks and service calls are asynchronous: no I/O thread waits for either, so a
// handful of threads keep every connection's request in flight at once.
//
// What no route takes (unknown path 404, other method 405, CORS preflights) is answered
// by the router's fallback in the same shape.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/http/router.h"
#include "libs/metrics/counter.h"
#include "libs/metrics/family.h"
#include "libs/metrics/histogram.h"
#include "services/gateway/backend_call.h"
#include "services/gateway/backends.h"
#include "services/gateway/client_ip.h"
#include "services/gateway/coalescer.h"
#include "services/gateway/cors.h"
#include "services/gateway/gatekeeper.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/route.h"
#include "services/gateway/transcoder.h"

namespace bitcontent::gateway {

struct RestOptions {
  // Largest request body accepted; larger is 413.
  size_t request_body_bytes_max = size_t{1} << 20;
  // Deadline of each call to a service.
  absl::Duration backend_timeout = absl::Seconds(10);
  std::string cors_allowed_origins = "*";
  // The gateway runs on the blob service's machine and may read its files: chunk
  // downloads are sent from them (Route::raw's file fields).
  bool blobs_local_files = false;
};

class RestGateway {
 public:
  // Everything passed must outlive the gateway. `status` answers GET /v1/status.
  RestGateway(RestOptions options, const std::vector<Route>& routes, Gatekeeper* gatekeeper,
              const Backends* backends, const GatewayService* local,
              const ClientIpResolver* client_ips, std::function<http::Response()> status);

  // Checks every route (its method exists, its bindings fit) and prepares the OpenAPI
  // document. An error names the faulty route.
  absl::Status Prepare();

  // The largest request body any route takes.
  size_t body_bytes_max() const;

  // The router serving every route, with the fallback. Call after Prepare().
  http::Router BuildRouter();

 private:
  struct PreparedRoute {
    const Route* route = nullptr;
    std::string label;  // "GET /v1/users/{user}", for metrics.
    std::optional<Transcoder> transcoder;
    // How the backend is called: one of the two, neither for gateway-local methods.
    std::optional<BackendMethod> backend;
    std::unique_ptr<Coalescer> coalescer;  // When the route has a coalesced_rpc.
    // The number of the bytes field the route answers with (Route::raw), or 0.
    int raw_response_field = 0;
    // With RestOptions::blobs_local_files, the number of Route::raw's ChunkFile field,
    // else 0.
    int file_response_field = 0;
    metrics::Histogram* seconds = nullptr;
  };

  // Sends an answer to the client (adding the request id, CORS and metrics).
  using Reply = std::function<void(http::Response)>;

  // Answers `request` through `respond`: at once when it is refused or served by the
  // gateway itself, from a gRPC thread when its service call completes.
  void Serve(const PreparedRoute& prepared, std::shared_ptr<const http::Request> request,
             http::Responder respond) const;
  void Answer(const PreparedRoute& prepared, const http::Request& request,
              const std::string& request_id, Reply reply) const;
  // Call for a route answered with a bytes field of the response (Route::raw), from the
  // chunk's file where the gateway reads blobs' files.
  void CallRaw(const PreparedRoute& prepared, const std::string& request_id, std::string bearer,
               const std::string& client_ip, std::shared_ptr<google::protobuf::Message> message,
               Reply reply) const;
  void Call(const PreparedRoute& prepared, const std::string& request_id, const Caller* caller,
            const std::string& client_ip, std::shared_ptr<google::protobuf::Message> message,
            Reply reply) const;
  http::Response Unrouted(const http::Request& request) const;

  const RestOptions options_;
  const std::vector<Route>& routes_;
  Gatekeeper* const gatekeeper_;
  const Backends* const backends_;
  const GatewayService* const local_;
  const ClientIpResolver* const client_ips_;
  const std::function<http::Response()> status_;
  const CorsPolicy cors_;

  std::vector<std::unique_ptr<PreparedRoute>> prepared_;
  std::string openapi_json_;
  // Only for telling 404 from 405 (and the allowed methods) in the fallback.
  http::Router shapes_;
  // gateway_http_requests_total{route, code} (route "unrouted" for what no route takes)
  // and gateway_http_request_seconds{route}.
  metrics::CounterFamily& requests_;
  metrics::HistogramFamily& request_seconds_;
  metrics::CounterFamily& chunk_bodies_;
};

// The request id of `request`: its X-Request-Id when usable, a new one otherwise.
std::string RequestIdOf(const http::Request& request);

// The longest Idempotency-Key header (AIP-155), as every service's request_id.
inline constexpr size_t kIdempotencyKeyBytesMax = 128;

// OK when `key`, an Idempotency-Key header, is 1 to kIdempotencyKeyBytesMax visible
// ASCII characters (0x21 to 0x7E); INVALID_ARGUMENT naming the header and what it may
// hold otherwise.
absl::Status CheckIdempotencyKey(absl::string_view key);

}  // namespace bitcontent::gateway
