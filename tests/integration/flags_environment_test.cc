// Flags can come from BITCONTENT_* environment variables; the command line wins; a bad
// value in the environment stops the start with a message naming the variable.
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "bitcontent/common/v1/diagnostics.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/launch/process.h"
#include "tests/integration/harness.h"

namespace bitcontent {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

TEST_CASE("a flag set in the environment takes effect", "[integration]") {
  // BITCONTENT_SHUTDOWN_DELAY_MS keeps a draining server answering for 2 s after
  // SIGTERM; without it the process would be gone at once.
  testing::TestSuite suite(
      {"pricing"},
      {.redis = false, .env = {{"pricing", {{"BITCONTENT_SHUTDOWN_DELAY_MS", "2000"}}}}});
  launch::Process* process = suite->process("pricing");
  REQUIRE(process != nullptr);
  process->Signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  CHECK(process->Running());
  auto stub = common::v1::Diagnostics::NewStub(kit::NewChannel(suite->grpc_address("pricing")));
  common::v1::PingResponse response;
  auto context = kit::NewCallContext(absl::Seconds(2));
  CHECK(stub->Ping(context.get(), common::v1::PingRequest(), &response).ok());
  absl::StatusOr<int> exit_code = process->Wait(absl::Seconds(10));
  REQUIRE(exit_code.ok());
  CHECK(*exit_code == 0);
}

TEST_CASE("the command line wins over the environment", "[integration]") {
  // The harness passes --grpc_address on the command line; a nonsense value in the
  // environment must not matter.
  testing::TestSuite suite(
      {"streaming"},
      {.redis = false, .env = {{"streaming", {{"BITCONTENT_GRPC_ADDRESS", "nowhere:1"}}}}});
  CHECK(suite->grpc_address("streaming").starts_with("127.0.0.1:"));
}

TEST_CASE("an unparsable environment value stops the start and names the variable",
          "[integration]") {
  const std::filesystem::path dir = testing::NewTestDirectory("bad-env");
  const std::filesystem::path log = dir / "wallet.log";
  absl::StatusOr<std::unique_ptr<launch::Process>> process =
      launch::Process::Start({.name = "wallet",
                              .binary = testing::BinaryDir() + "/services/wallet/bitcontent-wallet",
                              .args = {"--data_dir=" + (dir / "data").string()},
                              .env = {{"BITCONTENT_SHUTDOWN_GRACE_MS", "soon"}},
                              .log_path = log.string()});
  REQUIRE(process.ok());
  absl::StatusOr<int> exit_code = (*process)->Wait(absl::Seconds(10));
  REQUIRE(exit_code.ok());
  CHECK(*exit_code == 2);
  CHECK_THAT(ReadFile(log), Catch::Contains("BITCONTENT_SHUTDOWN_GRACE_MS='soon'"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bitcontent
