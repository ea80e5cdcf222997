// What `./dev up` promises, checked on the real runner (bitcontent-up): it writes
// var/run/endpoints.json, every listed gRPC address is SERVING, every admin address
// serves /metrics that promtool accepts, a second runner on the same var directory
// refuses to start, and after SIGINT no process it started is left.
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "libs/launch/health.h"
#include "libs/launch/process.h"
#include "tests/integration/harness.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

// Every "kind": "host:port" pair of the endpoints file whose kind matches `kind`.
std::vector<std::string> AddressesOfKind(const std::string& json, const std::string& kind) {
  std::vector<std::string> found;
  const std::regex pattern("\"" + kind + "\": \"([0-9.]+:[0-9]+)\"");
  for (std::sregex_iterator it(json.begin(), json.end(), pattern), end; it != end; ++it) {
    found.push_back((*it)[1]);
  }
  return found;
}

// Pids of live processes whose command line contains `needle`.
std::vector<std::string> ProcessesMentioning(const std::string& needle) {
  std::vector<std::string> pids;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string command_line = ReadFile(entry.path() / "cmdline");
    if (command_line.find(needle) != std::string::npos) pids.push_back(name);
  }
  return pids;
}

launch::ProcessSpec Runner(const fs::path& dir, const std::string& log_name) {
  return {.name = "bitcontent-up",
          .binary = testing::BinaryDir() + "/deploy/local/bitcontent-up",
          .args = {"--var_dir=" + (dir / "var").string(), "--port_base=0"},
          .log_path = (dir / log_name).string()};
}

// Runs the member CLI against `rest` with its config in `dir`/cli, `input` on stdin; its
// exit code, with stdout and stderr in `dir`/cli.log.
int RunCli(const fs::path& dir, const std::string& rest, const std::string& args,
           const std::string& input = "") {
  std::ofstream(dir / "cli.stdin") << input;
  absl::StatusOr<std::unique_ptr<launch::Process>> cli = launch::Process::Start(
      {.name = "bitcontent",
       .binary = "sh",
       .args = {"-c", "exec " + testing::BinaryDir() + "/clients/cli/bitcontent --server=http://" +
                          rest + " --config-dir=" + (dir / "cli").string() + " " + args + " < " +
                          (dir / "cli.stdin").string()},
       .log_path = (dir / "cli.log").string()});
  if (!cli.ok()) return -1;
  return (*cli)->Wait(absl::Seconds(60)).value_or(-1);
}

TEST_CASE("./dev up starts the suite, publishes endpoints and leaves nothing behind",
          "[integration]") {
  const fs::path dir = testing::NewTestDirectory("dev-up");
  absl::StatusOr<std::unique_ptr<launch::Process>> up =
      launch::Process::Start(Runner(dir, "up.log"));
  REQUIRE(up.ok());

  const fs::path endpoints = dir / "var" / "run" / "endpoints.json";
  for (int attempt = 0; attempt < 1500 && !fs::exists(endpoints); ++attempt) {
    REQUIRE((*up)->Running());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(fs::exists(endpoints));
  const std::string json = ReadFile(endpoints);

  const std::vector<std::string> grpc = AddressesOfKind(json, "grpc");
  CHECK(grpc.size() == 7);
  for (const std::string& address : grpc) {
    INFO("grpc " << address);
    CHECK(launch::CheckGrpcHealth(address, absl::Seconds(2)).ok());
  }
  const std::vector<std::string> admin = AddressesOfKind(json, "admin");
  CHECK(admin.size() == 7);
  for (const std::string& address : admin) {
    INFO("admin " << address);
    absl::StatusOr<std::string> page = testing::HttpGet(address, "/metrics");
    REQUIRE(page.ok());
    CHECK(testing::PromtoolCheckMetrics(*page).ok());
  }
  REQUIRE(AddressesOfKind(json, "public_rest").size() == 1);
  CHECK(AddressesOfKind(json, "public_grpc").size() == 1);
  CHECK(AddressesOfKind(json, "redis").size() == 1);

  // A member of the dev suite can try the wallet at once: a welcome credit, and regtest
  // deposit addresses (from BIP84's public test account).
  const std::string rest = AddressesOfKind(json, "public_rest")[0];
  REQUIRE(RunCli(dir, rest, "signup ada@example.com", "a dev password\n") == 0);
  REQUIRE(RunCli(dir, rest, "wallet balance") == 0);
  CHECK_THAT(ReadFile(dir / "cli.log"), Catch::Contains("available   100,000,000 msat"));
  REQUIRE(RunCli(dir, rest, "wallet address") == 0);
  CHECK_THAT(ReadFile(dir / "cli.log"), Catch::Contains("bcrt1q"));

  // A second runner on the same var directory says so and does not fight over ports.
  absl::StatusOr<std::unique_ptr<launch::Process>> second =
      launch::Process::Start(Runner(dir, "second.log"));
  REQUIRE(second.ok());
  absl::StatusOr<int> second_exit = (*second)->Wait(absl::Seconds(10));
  REQUIRE(second_exit.ok());
  CHECK(*second_exit == 1);
  CHECK_THAT(ReadFile(dir / "second.log"), Catch::Contains("already running"));

  // Collect every pid the runner started before stopping it.
  std::vector<pid_t> children;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir / "var" / "run")) {
    std::smatch match;
    const std::string text = ReadFile(entry.path());
    if (std::regex_search(text, match, std::regex("\"pid\": ([0-9]+)"))) {
      children.push_back(std::stoi(match[1]));
    }
  }
  CHECK(children.size() == 7);

  (*up)->Signal(SIGINT);
  absl::StatusOr<int> exit_code = (*up)->Wait(absl::Seconds(30));
  REQUIRE(exit_code.ok());
  CHECK(*exit_code == 0);
  for (pid_t pid : children) {
    INFO("pid " << pid);
    CHECK(kill(pid, 0) != 0);  // Gone: no zombie either, the runner reaped it.
  }
  // Nor any other process whose command line points into this var directory (redis).
  CHECK(ProcessesMentioning((dir / "var").string()).empty());
  CHECK_FALSE(fs::exists(endpoints));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bitcontent
