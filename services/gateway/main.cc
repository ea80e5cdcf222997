// bitcontent-gateway: the front door. Public REST on --public_rest_address, public gRPC
// on --public_grpc_address, and the usual kit listeners (gRPC health, admin HTTP).
// Wiring only: what each piece does is in its own header.
#include "absl/synchronization/mutex.h"
#include "libs/auth/key_ring.h"
#include "libs/http/server.h"
#include "libs/kit/key_refresher.h"
#include "libs/kit/log.h"
#include "libs/kit/serve.h"
#include "libs/redis/client.h"
#include "services/gateway/admission.h"
#include "services/gateway/authenticator.h"
#include "services/gateway/backends.h"
#include "services/gateway/config.h"
#include "services/gateway/error_response.h"
#include "services/gateway/gatekeeper.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/grpc_proxy.h"
#include "services/gateway/pricing_keys.h"
#include "services/gateway/rest_gateway.h"
#include "services/gateway/routes.h"
#include "services/gateway/status_route.h"

namespace {

int Fail(absl::string_view what, const absl::Status& status) {
  bitcontent::kit::Log(spdlog::level::err, what, {{"error", status.message()}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bitcontent;
  using namespace bitcontent::gateway;
  kit::InitService(argc, argv, "gateway");
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles (a debug aid
  // that costs a few percent of the gateway's CPU per request); the gateway's locks are
  // leaves, never nested, so the check finds nothing.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  LinkContracts();
  absl::StatusOr<GatewayConfig> config = ConfigFromFlags();
  if (!config.ok()) return Fail("bad configuration", config.status());
  const Backends backends = Backends::FromFlags();

  auth::KeyRing keys;
  kit::KeyRefresher refresher(&keys, kit::AccessTokenKeys(backends.Channel("accounts")),
                              config->key_refresh_interval);
  refresher.Start();
  // Pricing's keys only go out at GET /v1/keys; a ring of their own, so no access token
  // ever verifies against them.
  auth::KeyRing pricing_keys;
  kit::KeyRefresher pricing_refresher(&pricing_keys, PricingKeys(backends.Channel("pricing")),
                                      config->key_refresh_interval);
  pricing_refresher.Start();

  std::unique_ptr<redis::Client> redis;
  if (config->redis_address.empty()) {
    kit::Log(spdlog::level::warn,
             "no --redis_address: authenticated requests will be refused (503)");
  } else {
    absl::StatusOr<std::unique_ptr<redis::Client>> connected =
        redis::Client::Connect({.address = config->redis_address,
                                .timeout = config->redis_timeout,
                                .connections = config->redis_connections});
    if (!connected.ok()) return Fail("bad --redis_address", connected.status());
    redis = *std::move(connected);
  }
  Admission admission(redis.get());
  Authenticator authenticator(&keys, &refresher, backends.Channel("accounts"));
  Gatekeeper gatekeeper(&authenticator, &admission, config->limits);
  GatewayService gateway_service(&keys, &pricing_keys, &pricing_refresher,
                                 {.max_request_body_bytes = config->rest.request_body_bytes_max});

  const ClientIpResolver client_ips(config->trusted_proxies);
  RestGateway rest_gateway(config->rest, Routes(), &gatekeeper, &backends, &gateway_service,
                           &client_ips, [&backends] { return SuiteStatus(backends); });
  if (absl::Status prepared = rest_gateway.Prepare(); !prepared.ok()) {
    return Fail("the route table is wrong", prepared);
  }
  // The server reads bodies up to twice the limit, so that the gateway itself answers
  // an oversized body (413 in the one error shape, with the request id); only bodies
  // beyond that get the HTTP server's own 413.
  http::Server rest({.address = config->public_rest_address,
                     .io_threads = config->rest_io_threads,
                     .request_body_bytes_max = 2 * rest_gateway.body_bytes_max(),
                     .error_response = ServerErrorResponse},
                    rest_gateway.BuildRouter());
  if (absl::Status started = rest.Start(); !started.ok()) {
    return Fail("cannot start the public REST listener", started);
  }

  GrpcProxy proxy(Routes(), &gatekeeper, &backends, &client_ips, config->rest.backend_timeout);
  return kit::Serve({.name = "gateway",
                     .services = {&gateway_service},
                     .extra_grpc_addresses = {{"public_grpc", config->public_grpc_address}},
                     .extra_bound_addresses = {{"public_rest", rest.address()}},
                     .generic_service = &proxy,
                     .on_drain = [&rest] { rest.Stop(); }});
}
