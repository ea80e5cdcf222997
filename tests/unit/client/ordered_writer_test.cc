// OrderedWriter: chunks handed over in any order reach the stream in order; a thread
// may fetch only within the window ahead of what is written; cancelling wakes waiters;
// a write that fails fails every later call.
#include "libs/client/ordered_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/integration/local_files.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::client {
namespace {

namespace fs = std::filesystem;

TEST_CASE("chunks handed over out of order reach the stream in order", "[client][ordered]") {
  store::TempDir dir;
  const fs::path path = fs::path(dir.path()) / "out";
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  {
    OrderedWriter writer(fd, "out", 4);
    REQUIRE(writer.Put(2, "cc").ok());
    REQUIRE(writer.Put(1, "b").ok());
    CHECK(writer.written() == 0);
    REQUIRE(writer.Put(0, "aaa").ok());
    CHECK(writer.written() == 3);
    REQUIRE(writer.Put(3, "").ok());
    CHECK(writer.written() == 4);
    CHECK(absl::IsInternal(writer.Put(1, "b")));  // Each index once.
  }
  close(fd);
  CHECK(testing::ReadAll(path) == "aaabcc");
}

TEST_CASE("a fetch waits for its turn within the window, and a cancel wakes it",
          "[client][ordered]") {
  store::TempDir dir;
  const fs::path path = fs::path(dir.path()) / "out";
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  OrderedWriter writer(fd, "out", 2);
  CHECK(writer.WaitForTurn(0).ok());
  CHECK(writer.WaitForTurn(1).ok());

  std::atomic<bool> turned{false};
  absl::Status waited;
  std::thread third([&] {
    waited = writer.WaitForTurn(2);
    turned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK_FALSE(turned);  // Chunk 2 is beyond the window until chunk 0 is written.
  REQUIRE(writer.Put(0, "x").ok());
  third.join();
  CHECK(waited.ok());

  std::thread far([&] { waited = writer.WaitForTurn(10); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  writer.Cancel();
  far.join();
  CHECK(absl::IsCancelled(waited));
  close(fd);
}

TEST_CASE("a stream that cannot be written fails the chunk and every later call",
          "[client][ordered]") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  close(fds[0]);  // No reader: writes fail with EPIPE (SIGPIPE ignored below).
  signal(SIGPIPE, SIG_IGN);
  OrderedWriter writer(fds[1], "standard output", 4);
  const absl::Status failed = writer.Put(0, "bytes");
  CHECK(absl::IsAborted(failed));
  CHECK_THAT(std::string(failed.message()), Catch::Contains("cannot write to standard output"));
  CHECK(absl::IsAborted(writer.WaitForTurn(1)));
  CHECK(absl::IsAborted(writer.Put(1, "more")));
  close(fds[1]);
}

}  // namespace
}  // namespace bitcontent::client
