#include "tests/unit/redis/redis_server.h"

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace bitcontent::redis {

RedisServer::RedisServer() {
  static std::atomic<int> counter{0};
  dir_ = (std::filesystem::temp_directory_path() /
          absl::StrCat("bitcontent-redis-test-", getpid(), "-", counter.fetch_add(1)))
             .string();
  absl::StatusOr<std::unique_ptr<launch::Suite>> suite =
      launch::Suite::Start({.var_dir = dir_, .services = {}, .redis = true});
  if (!suite.ok()) FAIL("redis-server did not start: " << suite.status().message());
  suite_ = std::move(*suite);
  address_ = suite_->redis_address();
  port_ = std::stoi(address_.substr(address_.rfind(':') + 1));
}

RedisServer::~RedisServer() {
  suite_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void RedisServer::Stop() { REQUIRE(suite_->StopService("redis", absl::Seconds(5)).ok()); }

void RedisServer::Start() {
  absl::Status started = suite_->StartService("redis");
  if (!started.ok()) FAIL("redis-server did not restart: " << started.message());
}

}  // namespace bitcontent::redis
