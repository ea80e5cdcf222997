// SIGTERM drains: health turns NOT_SERVING at once, in-flight calls finish, and the
// process exits 0; calls that outlive the grace period are cancelled, not waited on
// forever.
#include <signal.h>

#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "bitcontent/common/v1/diagnostics.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "libs/kit/channel.h"
#include "tests/integration/harness.h"

namespace bitcontent {
namespace {

using common::v1::Diagnostics;
using common::v1::PingRequest;
using common::v1::PingResponse;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// Starts a Ping that takes `delay_ms` on its own thread and returns its final status.
std::future<grpc::Status> SlowPing(std::shared_ptr<grpc::Channel> channel, uint32_t delay_ms) {
  return std::async(std::launch::async, [channel, delay_ms] {
    auto stub = Diagnostics::NewStub(channel);
    PingRequest request;
    request.set_delay_ms(delay_ms);
    PingResponse response;
    auto context = kit::NewCallContext(absl::Seconds(20));
    return stub->Ping(context.get(), request, &response);
  });
}

// Waits until the service has started serving `count` Ping calls, by its own metrics.
void AwaitPingsStarted(const std::string& admin, int count) {
  const std::string line =
      "grpc_server_started_total{grpc_service=\"bitcontent.common.v1."
      "Diagnostics\",grpc_method=\"Ping\"} " +
      std::to_string(count);
  for (int attempt = 0; attempt < 250; ++attempt) {
    if (testing::HttpGet(admin, "/metrics").value_or("").find(line) != std::string::npos) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("the slow Ping never started on the server");
}

TEST_CASE("SIGTERM turns health NOT_SERVING, lets in-flight calls finish, exits 0",
          "[integration]") {
  testing::TestSuite suite(
      {"metadata"}, {.redis = false, .extra_args = {{"metadata", {"--shutdown_delay_ms=1500"}}}});
  const std::string address = suite->grpc_address("metadata");
  auto channel = kit::NewChannel(address);
  std::future<grpc::Status> in_flight = SlowPing(channel, 2500);
  AwaitPingsStarted(suite->addresses("metadata").at("admin"), 1);

  launch::Process* process = suite->process("metadata");
  REQUIRE(process != nullptr);
  process->Signal(SIGTERM);

  // During the shutdown delay the server still answers, and says it is draining.
  auto health = Health::NewStub(channel);
  HealthCheckResponse response;
  grpc::Status checked;
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto context = kit::NewCallContext(absl::Seconds(1));
    checked = health->Check(context.get(), HealthCheckRequest(), &response);
    if (checked.ok() && response.status() == HealthCheckResponse::NOT_SERVING) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(checked.ok());
  CHECK(response.status() == HealthCheckResponse::NOT_SERVING);

  CHECK(in_flight.get().ok());  // Finished its full 2.5 s despite the SIGTERM.
  absl::StatusOr<int> exit_code = process->Wait(absl::Seconds(10));
  REQUIRE(exit_code.ok());
  CHECK(*exit_code == 0);
}

TEST_CASE("a call longer than the grace period is cancelled and the process still exits 0",
          "[integration]") {
  testing::TestSuite suite(
      {"blobs"}, {.redis = false, .extra_args = {{"blobs", {"--shutdown_grace_ms=300"}}}});
  std::future<grpc::Status> in_flight =
      SlowPing(kit::NewChannel(suite->grpc_address("blobs")), 15000);
  AwaitPingsStarted(suite->addresses("blobs").at("admin"), 1);

  launch::Process* process = suite->process("blobs");
  REQUIRE(process != nullptr);
  const auto start = std::chrono::steady_clock::now();
  process->Signal(SIGTERM);
  absl::StatusOr<int> exit_code = process->Wait(absl::Seconds(10));
  REQUIRE(exit_code.ok());
  CHECK(*exit_code == 0);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK_FALSE(in_flight.get().ok());
}

}  // namespace
}  // namespace bitcontent
