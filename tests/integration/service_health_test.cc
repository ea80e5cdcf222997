// Every service of the suite starts, answers grpc.health.v1 with SERVING, answers
// Diagnostics.Ping through the kit, and carries request ids.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "bitcontent/common/v1/diagnostics.grpc.pb.h"
#include "bitcontent/streaming/v1/streaming_service.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/kit/request_id.h"
#include "libs/launch/health.h"
#include "libs/launch/process.h"
#include "tests/integration/harness.h"

namespace bitcontent {
namespace {

using common::v1::Diagnostics;
using common::v1::PingRequest;
using common::v1::PingResponse;

TEST_CASE("every service of the suite reports SERVING and answers Ping", "[integration]") {
  testing::TestSuite suite;
  REQUIRE_FALSE(suite->redis_address().empty());
  for (const std::string& service : launch::AllServices()) {
    INFO("service " << service);
    const std::string address = suite->grpc_address(service);
    REQUIRE_FALSE(address.empty());
    CHECK(launch::CheckGrpcHealth(address, absl::Seconds(2)).ok());

    auto stub = Diagnostics::NewStub(kit::NewChannel(address));
    PingResponse response;
    auto context = kit::NewCallContext(absl::Seconds(2));
    REQUIRE(stub->Ping(context.get(), PingRequest(), &response).ok());
    CHECK(response.service() == service);
  }
  const launch::Addresses gateway = suite->addresses("gateway");
  CHECK(gateway.contains("public_rest"));
  CHECK(gateway.contains("public_grpc"));
}

TEST_CASE("a caller's request id is kept and echoed and a missing one is generated",
          "[integration]") {
  testing::TestSuite suite({"accounts"}, {.redis = false});
  auto stub = Diagnostics::NewStub(kit::NewChannel(suite->grpc_address("accounts")));

  grpc::ClientContext given;
  given.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  given.AddMetadata("x-request-id", "test-request-42");
  PingResponse response;
  REQUIRE(stub->Ping(&given, PingRequest(), &response).ok());
  CHECK(response.request_id() == "test-request-42");
  auto echoed = given.GetServerInitialMetadata().find("x-request-id");
  REQUIRE(echoed != given.GetServerInitialMetadata().end());
  CHECK(std::string(echoed->second.data(), echoed->second.size()) == "test-request-42");

  // An id with characters that would break a log line is replaced, not trusted.
  grpc::ClientContext hostile;
  hostile.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  hostile.AddMetadata("x-request-id", "bad id\" level=error");
  REQUIRE(stub->Ping(&hostile, PingRequest(), &response).ok());
  CHECK(kit::IsUsableRequestId(response.request_id()));
  CHECK(response.request_id().size() == 32);
}

TEST_CASE("the request id of a failed call is in the service's log line", "[integration]") {
  testing::TestSuite suite({"accounts"}, {.redis = false});
  auto stub = Diagnostics::NewStub(kit::NewChannel(suite->grpc_address("accounts")));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  context.AddMetadata("x-request-id", "trace-me-7");
  PingRequest too_slow;
  too_slow.set_delay_ms(999999);
  PingResponse response;
  REQUIRE(stub->Ping(&context, too_slow, &response).error_code() ==
          grpc::StatusCode::INVALID_ARGUMENT);

  const std::filesystem::path log = suite.var_dir() / "log" / "accounts.log";
  std::string line;
  for (int attempt = 0; attempt < 100 && line.empty(); ++attempt) {
    std::ifstream file(log);
    for (std::string candidate; std::getline(file, candidate);) {
      if (candidate.find("request_id=trace-me-7") != std::string::npos) line = candidate;
    }
    if (line.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK_THAT(line, Catch::Contains("service=accounts"));
  CHECK_THAT(line, Catch::Contains("method=/bitcontent.common.v1.Diagnostics/Ping"));
  CHECK_THAT(line, Catch::Contains("code=INVALID_ARGUMENT"));
}

TEST_CASE("an RPC not built yet answers UNIMPLEMENTED naming the method", "[integration]") {
  testing::TestSuite suite({"streaming"}, {.redis = false});
  auto stub =
      streaming::v1::StreamingService::NewStub(kit::NewChannel(suite->grpc_address("streaming")));
  streaming::v1::GetStreamSessionRequest request;
  request.set_name("streamSessions/s");
  streaming::v1::StreamSession response;
  auto context = kit::NewCallContext(absl::Seconds(2));
  grpc::Status status = stub->GetStreamSession(context.get(), request, &response);
  CHECK(status.error_code() == grpc::StatusCode::UNIMPLEMENTED);
  CHECK_THAT(status.error_message(),
             Catch::Contains("/bitcontent.streaming.v1.StreamingService/GetStreamSession") &&
                 Catch::Contains("not built yet in the streaming service"));
}

TEST_CASE("a service whose gRPC address another service holds refuses to start", "[integration]") {
  // Were the port shared (gRPC's default SO_REUSEPORT), the kernel would hand each of the
  // two servers part of the connections, and callers of one would reach the other.
  testing::TestSuite suite({"streaming"}, {.redis = false});
  const std::filesystem::path dir = testing::NewTestDirectory("address-taken");
  const std::filesystem::path log = dir / "wallet.log";
  absl::StatusOr<std::unique_ptr<launch::Process>> second = launch::Process::Start(
      {.name = "wallet",
       .binary = testing::BinaryDir() + "/services/wallet/bitcontent-wallet",
       .args = {"--grpc_address=" + suite->grpc_address("streaming"), "--admin_address=127.0.0.1:0",
                "--data_dir=" + (dir / "data").string()},
       .log_path = log.string()});
  REQUIRE(second.ok());
  absl::StatusOr<int> exit_code = (*second)->Wait(absl::Seconds(10));
  REQUIRE(exit_code.ok());
  CHECK(*exit_code == 1);
  std::ifstream file(log);
  const std::string logged((std::istreambuf_iterator<char>(file)), {});
  CHECK_THAT(logged, Catch::Contains("is the address in use?"));
  // The first still answers every call.
  for (int i = 0; i < 5; ++i) {
    CHECK(launch::CheckGrpcHealth(suite->grpc_address("streaming"), absl::Seconds(2)).ok());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bitcontent
