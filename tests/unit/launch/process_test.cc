#include "libs/launch/process.h"

#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace bitcontent::launch {
namespace {

namespace fs = std::filesystem;

fs::path LogPath(const std::string& name) {
  return fs::temp_directory_path() / ("process-test-" + std::to_string(getpid()) + "-" + name);
}

TEST_CASE("a process's exit code and output are reported") {
  const fs::path log = LogPath("exit");
  absl::StatusOr<std::unique_ptr<Process>> process = Process::Start(
      {.name = "sh", .binary = "sh", .args = {"-c", "echo hello; exit 3"}, .log_path = log});
  REQUIRE(process.ok());
  absl::StatusOr<int> code = (*process)->Wait(absl::Seconds(10));
  REQUIRE(code.ok());
  CHECK(*code == 3);
  std::stringstream output;
  output << std::ifstream(log).rdbuf();
  CHECK(output.str() == "hello\n");
  fs::remove(log);
}

TEST_CASE("Stop ends a process with SIGTERM and reports the signal") {
  const fs::path log = LogPath("stop");
  absl::StatusOr<std::unique_ptr<Process>> process =
      Process::Start({.name = "sleep", .binary = "sleep", .args = {"30"}, .log_path = log});
  REQUIRE(process.ok());
  CHECK((*process)->Running());
  absl::StatusOr<int> code = (*process)->Stop(absl::Seconds(5));
  REQUIRE(code.ok());
  CHECK(*code == 128 + SIGTERM);
  CHECK_FALSE((*process)->Running());
  fs::remove(log);
}

TEST_CASE("Stop kills a process that ignores SIGTERM once the grace period ends") {
  const fs::path log = LogPath("kill");
  absl::StatusOr<std::unique_ptr<Process>> process =
      Process::Start({.name = "stubborn",
                      .binary = "sh",
                      .args = {"-c", "trap '' TERM; sleep 30"},
                      .log_path = log});
  REQUIRE(process.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // Let the trap be set.
  absl::StatusOr<int> code = (*process)->Stop(absl::Milliseconds(300));
  REQUIRE(code.ok());
  CHECK(*code == 128 + SIGKILL);
  fs::remove(log);
}

TEST_CASE("a binary that cannot be executed exits with 127") {
  const fs::path log = LogPath("missing");
  absl::StatusOr<std::unique_ptr<Process>> process = Process::Start(
      {.name = "missing", .binary = "/nonexistent/bitcontent-nothing", .log_path = log});
  REQUIRE(process.ok());
  absl::StatusOr<int> code = (*process)->Wait(absl::Seconds(10));
  REQUIRE(code.ok());
  CHECK(*code == 127);
  fs::remove(log);
}

TEST_CASE("Wait gives up with DeadlineExceeded while the process still runs") {
  const fs::path log = LogPath("wait");
  absl::StatusOr<std::unique_ptr<Process>> process =
      Process::Start({.name = "sleep", .binary = "sleep", .args = {"30"}, .log_path = log});
  REQUIRE(process.ok());
  CHECK((*process)->Wait(absl::Milliseconds(50)).status().code() ==
        absl::StatusCode::kDeadlineExceeded);
  fs::remove(log);
}

}  // namespace
}  // namespace bitcontent::launch
