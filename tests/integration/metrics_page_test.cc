// Every service's admin listener serves /metrics that promtool accepts, with the gRPC
// request counts and latency histograms by method and code, and /healthz.
#include <catch2/catch.hpp>
#include <thread>

#include "bitcontent/common/v1/diagnostics.grpc.pb.h"
#include "libs/kit/channel.h"
#include "tests/integration/harness.h"

namespace bitcontent {
namespace {

using common::v1::Diagnostics;
using common::v1::PingRequest;
using common::v1::PingResponse;

TEST_CASE("every /metrics page passes promtool and counts RPCs by method and code",
          "[integration]") {
  testing::TestSuite suite;
  for (const std::string& service : launch::AllServices()) {
    INFO("service " << service);
    auto stub = Diagnostics::NewStub(kit::NewChannel(suite->grpc_address(service)));
    for (int i = 0; i < 3; ++i) {
      PingResponse response;
      auto context = kit::NewCallContext(absl::Seconds(2));
      REQUIRE(stub->Ping(context.get(), PingRequest(), &response).ok());
    }
    const std::string admin = suite->addresses(service).at("admin");
    absl::StatusOr<std::string> page = testing::HttpGet(admin, "/metrics");
    REQUIRE(page.ok());
    absl::Status checked = testing::PromtoolCheckMetrics(*page);
    INFO(checked.message());
    CHECK(checked.ok());
    CHECK_THAT(*page, Catch::Contains("grpc_server_handled_total{grpc_service=\"bitcontent."
                                      "common.v1.Diagnostics\",grpc_method=\"Ping\",grpc_code="
                                      "\"OK\"} 3"));
    CHECK_THAT(*page, Catch::Contains("grpc_server_handling_seconds_bucket{grpc_service="
                                      "\"bitcontent.common.v1.Diagnostics\",grpc_method="
                                      "\"Ping\",le=\"+Inf\"} 3"));
    CHECK_THAT(*page, Catch::Contains("process_resident_memory_bytes"));

    int status = 0;
    CHECK(testing::HttpGet(admin, "/healthz", &status).value_or("") == "SERVING\n");
    CHECK(status == 200);
  }
}

}  // namespace
}  // namespace bitcontent
