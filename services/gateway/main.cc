// bitcontent-gateway: the front door. Public REST on --public_rest_address, public gRPC
// on --public_grpc_address, and the usual kit listeners (gRPC health, admin HTTP).
#include "absl/flags/flag.h"
#include "libs/http/server.h"
#include "libs/kit/log.h"
#include "libs/kit/serve.h"
#include "services/gateway/backends.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/status_route.h"

ABSL_FLAG(std::string, public_rest_address, "127.0.0.1:0", "host:port of the public REST API.");
ABSL_FLAG(std::string, public_grpc_address, "127.0.0.1:0", "host:port of the public gRPC API.");
ABSL_FLAG(std::string, redis_address, "",
          "host:port of Redis (rate limits and revocations, from issue 3 on).");
ABSL_FLAG(uint32_t, rest_io_threads, 2, "Threads serving the public REST API.");

int main(int argc, char** argv) {
  using namespace bitcontent;
  kit::InitService(argc, argv, "gateway");
  const gateway::Backends backends = gateway::Backends::FromFlags();

  http::Server rest({.address = absl::GetFlag(FLAGS_public_rest_address),
                     .io_threads = static_cast<int>(absl::GetFlag(FLAGS_rest_io_threads))});
  rest.Route("GET", "/v1/status",
             [&backends](const http::Request&) { return gateway::SuiteStatus(backends); });
  if (absl::Status started = rest.Start(); !started.ok()) {
    kit::Log(spdlog::level::err, "cannot start the public REST listener",
             {{"error", started.message()}});
    return 1;
  }

  gateway::GatewayService gateway_service;
  return kit::Serve(
      {.name = "gateway",
       .services = {&gateway_service},
       .extra_grpc_addresses = {{"public_grpc", absl::GetFlag(FLAGS_public_grpc_address)}},
       .extra_bound_addresses = {{"public_rest", rest.address()}},
       .on_drain = [&rest] { rest.Stop(); }});
}
