// The harness can stop and restart a process on the same address, which failure tests
// (Redis down, a service killed mid-load) rely on.
#include <catch2/catch.hpp>

#include "libs/launch/health.h"
#include "tests/integration/harness.h"

namespace bitcontent {
namespace {

TEST_CASE("redis stopped and started again answers on the same address", "[integration]") {
  testing::TestSuite suite(std::vector<std::string>{});
  const std::string address = suite->redis_address();
  const std::string host = address.substr(0, address.rfind(':'));
  const int port = std::stoi(address.substr(address.rfind(':') + 1));
  REQUIRE(launch::PingRedis(host, port, absl::Seconds(1)).ok());

  REQUIRE(suite->StopService("redis", absl::Seconds(5)).ok());
  CHECK(suite->process("redis") == nullptr);
  CHECK_FALSE(launch::PingRedis(host, port, absl::Milliseconds(200)).ok());

  REQUIRE(suite->StartService("redis").ok());
  CHECK(suite->redis_address() == address);
  CHECK(launch::PingRedis(host, port, absl::Seconds(1)).ok());
}

TEST_CASE("a stopped service restarts on the same gRPC address", "[integration]") {
  testing::TestSuite suite({"wallet"}, {.redis = false});
  const std::string address = suite->grpc_address("wallet");
  REQUIRE(suite->StopService("wallet", absl::Seconds(5)).value_or(-1) == 0);
  CHECK_FALSE(launch::CheckGrpcHealth(address, absl::Milliseconds(300)).ok());
  REQUIRE(suite->StartService("wallet").ok());
  CHECK(suite->grpc_address("wallet") == address);
  CHECK(launch::CheckGrpcHealth(address, absl::Seconds(2)).ok());
}

}  // namespace
}  // namespace bitcontent
