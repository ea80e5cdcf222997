#include "services/gateway/status_route.h"

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "libs/kit/channel.h"

namespace bitcontent::gateway {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// How long one backend may take to answer before it counts as UNAVAILABLE.
constexpr absl::Duration kHealthTimeout = absl::Milliseconds(500);

std::string HealthOf(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = Health::NewStub(channel);
  HealthCheckResponse response;
  auto context = kit::NewCallContext(kHealthTimeout);
  if (!stub->Check(context.get(), HealthCheckRequest(), &response).ok()) return "UNAVAILABLE";
  return HealthCheckResponse::ServingStatus_Name(response.status());
}

}  // namespace

http::Response SuiteStatus(const Backends& backends) {
  bool all_serving = true;
  std::string services;
  for (const auto& [name, channel] : backends.channels()) {
    const std::string health = HealthOf(channel);
    all_serving = all_serving && health == "SERVING";
    absl::StrAppend(&services, services.empty() ? "" : ", ", "\"", name, "\": \"", health, "\"");
  }
  return http::Response::Json(all_serving ? 200 : 503,
                              absl::StrCat("{\"status\": \"", all_serving ? "SERVING" : "DEGRADED",
                                           "\", \"services\": {", services, "}}"));
}

}  // namespace bitcontent::gateway
