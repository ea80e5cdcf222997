// Deadlines are enforced end to end: a caller's deadline ends the call on time, the
// handler sees it (and stops working), and a call made without a deadline through the
// kit's channel is refused instead of being allowed to hang.
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

TEST_CASE("a deadline shorter than the work ends the call with DEADLINE_EXCEEDED",
          "[integration]") {
  testing::TestSuite suite({"wallet"}, {.redis = false});
  auto stub = Diagnostics::NewStub(kit::NewChannel(suite->grpc_address("wallet")));
  PingRequest slow;
  slow.set_delay_ms(10000);
  PingResponse response;

  const auto start = std::chrono::steady_clock::now();
  auto context = kit::NewCallContext(absl::Milliseconds(300));
  grpc::Status status = stub->Ping(context.get(), slow, &response);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED);
  CHECK(elapsed < std::chrono::seconds(3));  // Not the 10 s the server was asked for.

  // The handler noticed the caller was gone and stopped: the server recorded the call
  // as ended (DEADLINE_EXCEEDED, or CANCELLED when gRPC's timer fired a hair early) in
  // its metrics, long before its 10 s of work would have ended.
  const std::string admin = suite->addresses("wallet").at("admin");
  const std::string ended =
      "grpc_server_handled_total{grpc_service=\"bitcontent.common.v1.Diagnostics\","
      "grpc_method=\"Ping\",grpc_code=\"";
  std::string page;
  for (int attempt = 0; attempt < 100 && page.find(ended) == std::string::npos; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    page = testing::HttpGet(admin, "/metrics").value_or("");
  }
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK_THAT(page, Catch::Contains(ended + "DEADLINE_EXCEEDED\"} 1") ||
                       Catch::Contains(ended + "CANCELLED\"} 1"));
  CHECK_THAT(page, !Catch::Contains(ended + "OK\"}"));
}

TEST_CASE("a call without a deadline is refused by the kit's channel", "[integration]") {
  testing::TestSuite suite({"wallet"}, {.redis = false});
  auto stub = Diagnostics::NewStub(kit::NewChannel(suite->grpc_address("wallet")));
  grpc::ClientContext no_deadline;
  PingResponse response;
  grpc::Status status = stub->Ping(&no_deadline, PingRequest(), &response);
  CHECK(status.error_code() == grpc::StatusCode::CANCELLED);
}

TEST_CASE("a delay above the limit is refused with INVALID_ARGUMENT", "[integration]") {
  testing::TestSuite suite({"wallet"}, {.redis = false});
  auto stub = Diagnostics::NewStub(kit::NewChannel(suite->grpc_address("wallet")));
  PingRequest too_slow;
  too_slow.set_delay_ms(30001);
  PingResponse response;
  auto context = kit::NewCallContext(absl::Seconds(2));
  grpc::Status status = stub->Ping(context.get(), too_slow, &response);
  CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(status.error_message(), Catch::Contains("delay_ms must be <= 30000"));
}

}  // namespace
}  // namespace bitcontent
