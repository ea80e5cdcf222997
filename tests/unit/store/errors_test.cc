#include "libs/store/errors.h"

#include <catch2/catch.hpp>
#include <string>

namespace bitcontent::store {
namespace {

absl::StatusCode CodeOf(const rocksdb::Status& status) {
  return ToAbslStatus(status, "Get", "users").code();
}

TEST_CASE("store errors: RocksDB errors map to precise absl codes", "[store][errors]") {
  using absl::StatusCode;
  REQUIRE(ToAbslStatus(rocksdb::Status::OK(), "Get", "users").ok());
  REQUIRE(CodeOf(rocksdb::Status::NotFound()) == StatusCode::kNotFound);
  REQUIRE(CodeOf(rocksdb::Status::Corruption("bad block")) == StatusCode::kDataLoss);
  REQUIRE(CodeOf(rocksdb::Status::InvalidArgument("x")) == StatusCode::kInvalidArgument);
  REQUIRE(CodeOf(rocksdb::Status::NotSupported("x")) == StatusCode::kUnimplemented);
  REQUIRE(CodeOf(rocksdb::Status::IOError("disk")) == StatusCode::kInternal);
  REQUIRE(CodeOf(rocksdb::Status::NoSpace("full")) == StatusCode::kResourceExhausted);
  REQUIRE(CodeOf(rocksdb::Status::MemoryLimit()) == StatusCode::kResourceExhausted);
  REQUIRE(CodeOf(rocksdb::Status::TimedOut()) == StatusCode::kDeadlineExceeded);
  REQUIRE(CodeOf(rocksdb::Status::Busy()) == StatusCode::kAborted);
  REQUIRE(CodeOf(rocksdb::Status::ShutdownInProgress()) == StatusCode::kUnavailable);
  REQUIRE(CodeOf(rocksdb::Status::TryAgain()) == StatusCode::kUnavailable);
  REQUIRE(CodeOf(rocksdb::Status::ColumnFamilyDropped()) == StatusCode::kFailedPrecondition);
}

TEST_CASE("store errors: Mapped errors name the operation and the family", "[store][errors]") {
  const absl::Status status =
      ToAbslStatus(rocksdb::Status::Corruption("block checksum mismatch"), "Get", "users");
  REQUIRE(std::string(status.message()) == "store Get users: Corruption: block checksum mismatch");
}

TEST_CASE("store errors: A LOCK file error says another process holds the lock",
          "[store][errors]") {
  const absl::Status status = ToAbslStatus(
      rocksdb::Status::IOError("While lock file", "/data/accounts/LOCK: Resource busy"), "Open",
      "/data/accounts");
  REQUIRE(status.code() == absl::StatusCode::kUnavailable);
  REQUIRE_THAT(std::string(status.message()), Catch::StartsWith("store Open /data/accounts: "));
  REQUIRE_THAT(std::string(status.message()), Catch::Contains("another process holds the lock"));
}

}  // namespace
}  // namespace bitcontent::store
