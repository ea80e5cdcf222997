// TransferLock: a second put or get on the same local state is refused at once, with the
// message the caller chose, until the first lets go; a lock whose file its holder
// removed is never shared with one on the file made after it.
#include "libs/client/transfer_lock.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/unit/store/test_util.h"

namespace bitcontent::client {
namespace {

namespace fs = std::filesystem;

TEST_CASE("a transfer lock refuses a second holder at once, with the caller's words",
          "[client][transfer_lock]") {
  store::TempDir dir;
  const std::string path = (fs::path(dir.path()) / "upload-x.lock").string();
  CHECK_FALSE(TransferLock::Held(path));
  {
    absl::StatusOr<std::unique_ptr<TransferLock>> first =
        TransferLock::Acquire(path, "another put is running");
    REQUIRE(first.ok());
    CHECK(TransferLock::Held(path));
    // flock(2) locks belong to the open file, so a second open in this process is as
    // refused as one in another process.
    absl::StatusOr<std::unique_ptr<TransferLock>> second =
        TransferLock::Acquire(path, "another put is running");
    REQUIRE_FALSE(second.ok());
    CHECK(absl::IsFailedPrecondition(second.status()));
    CHECK(second.status().message() == "another put is running");
  }
  CHECK_FALSE(TransferLock::Held(path));
  CHECK(TransferLock::Acquire(path, "busy").ok());
}

TEST_CASE("a transfer lock's file removed by its holder is locked afresh by the next run",
          "[client][transfer_lock]") {
  store::TempDir dir;
  const std::string path = (fs::path(dir.path()) / "upload-y.lock").string();
  absl::StatusOr<std::unique_ptr<TransferLock>> first = TransferLock::Acquire(path, "busy");
  REQUIRE(first.ok());
  (*first)->RemoveFile();
  CHECK_FALSE(fs::exists(path));
  // The next run makes a new file and locks that one, while the first still holds its own.
  absl::StatusOr<std::unique_ptr<TransferLock>> next = TransferLock::Acquire(path, "busy");
  REQUIRE(next.ok());
  CHECK(fs::exists(path));
  CHECK_FALSE(TransferLock::Acquire(path, "busy").ok());
}

}  // namespace
}  // namespace bitcontent::client
