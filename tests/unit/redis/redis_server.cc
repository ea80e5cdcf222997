#include "tests/unit/redis/redis_server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/launch/health.h"

namespace bitcontent::redis {
namespace {

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

}  // namespace

RedisServer::RedisServer() {
  dir_ = (std::filesystem::temp_directory_path() /
          absl::StrCat("bitcontent-redis-test-", getpid(), "-", FreeLoopbackPort()))
             .string();
  std::filesystem::create_directories(dir_);
  port_ = FreeLoopbackPort();
  REQUIRE(port_ != 0);
  address_ = absl::StrCat("127.0.0.1:", port_);
  Start();
}

RedisServer::~RedisServer() {
  process_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void RedisServer::Stop() {
  if (process_ == nullptr) return;
  (void)process_->Stop(absl::Seconds(5));
  process_.reset();
}

void RedisServer::Start() {
  absl::StatusOr<std::unique_ptr<launch::Process>> process = launch::Process::Start(
      {.name = "redis",
       .binary = "redis-server",
       .args = {"--bind", "127.0.0.1", "--port", std::to_string(port_), "--save", "",
                "--appendonly", "no", "--dir", dir_, "--daemonize", "no"},
       .log_path = dir_ + "/redis.log"});
  REQUIRE(process.ok());
  process_ = *std::move(process);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  absl::Status ping = absl::UnavailableError("not pinged yet");
  while (absl::Now() < deadline && process_->Running()) {
    ping = launch::PingRedis("127.0.0.1", port_, absl::Milliseconds(500));
    if (ping.ok()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL("redis-server did not answer PING on " << address_ << ": " << ping.message());
}

}  // namespace bitcontent::redis
