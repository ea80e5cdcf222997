// libs/redis against a real redis-server: commands and replies, scripts, concurrency,
// and what callers see when Redis goes away and comes back.
#include "libs/redis/client.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "libs/redis/script.h"
#include "tests/unit/redis/redis_server.h"

namespace bitcontent::redis {
namespace {

std::unique_ptr<Client> NewClient(const std::string& address, int connections = 4) {
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(
      {.address = address, .timeout = absl::Milliseconds(200), .connections = connections});
  REQUIRE(client.ok());
  return *std::move(client);
}

Reply MustRun(Client& client, const std::vector<std::string>& args) {
  absl::StatusOr<Reply> reply = client.Run(args);
  INFO(reply.status().message());
  REQUIRE(reply.ok());
  return *std::move(reply);
}

TEST_CASE("redis client runs commands and decodes every kind of reply", "[redis]") {
  RedisServer server;
  std::unique_ptr<Client> client = NewClient(server.address());

  CHECK(MustRun(*client, {"SET", "greeting", "hello"}).type == Reply::Type::kStatus);
  Reply got = MustRun(*client, {"GET", "greeting"});
  CHECK(got.type == Reply::Type::kString);
  CHECK(got.string == "hello");
  CHECK(MustRun(*client, {"GET", "missing"}).type == Reply::Type::kNil);

  Reply counted = MustRun(*client, {"INCRBY", "counter", "41"});
  CHECK(counted.type == Reply::Type::kInteger);
  CHECK(counted.integer == 41);

  // Arguments and values are binary-safe: a NUL byte survives the round trip.
  const std::string binary("a\0b\r\nc", 6);
  MustRun(*client, {"SET", binary, binary});
  CHECK(MustRun(*client, {"GET", binary}).string == binary);

  MustRun(*client, {"RPUSH", "list", "x", "y"});
  Reply list = MustRun(*client, {"LRANGE", "list", "0", "-1"});
  REQUIRE(list.type == Reply::Type::kArray);
  REQUIRE(list.elements.size() == 2);
  CHECK(list.elements[1].string == "y");

  // A command Redis rejects is an answer, not a failed call.
  Reply refused = MustRun(*client, {"INCR", "greeting"});
  CHECK(refused.is_error());
  CHECK(refused.string.find("not an integer") != std::string::npos);
}

TEST_CASE("redis client refuses bad options and empty commands", "[redis]") {
  CHECK(Client::Connect({.address = "localhost"}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(Client::Connect({.address = "127.0.0.1:99999"}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(Client::Connect({.address = "127.0.0.1:6379", .connections = 0}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(Client::Connect({.address = "127.0.0.1:6379", .timeout = absl::ZeroDuration()})
            .status()
            .code() == absl::StatusCode::kInvalidArgument);

  RedisServer server;
  std::unique_ptr<Client> client = NewClient(server.address());
  CHECK(client->Run({}).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("redis script runs by hash and reloads itself after SCRIPT FLUSH", "[redis]") {
  RedisServer server;
  std::unique_ptr<Client> client = NewClient(server.address());
  const Script add("return redis.call('INCRBY', KEYS[1], ARGV[1])");

  absl::StatusOr<Reply> first = add.Run(*client, {"total"}, {"5"});
  REQUIRE(first.ok());
  CHECK(first->integer == 5);

  MustRun(*client, {"SCRIPT", "FLUSH"});
  absl::StatusOr<Reply> second = add.Run(*client, {"total"}, {"7"});
  REQUIRE(second.ok());
  CHECK(second->integer == 12);
}

TEST_CASE("redis client is safe to share between threads", "[redis]") {
  RedisServer server;
  std::unique_ptr<Client> client = NewClient(server.address(), /*connections=*/2);
  constexpr int kThreads = 8;
  constexpr int kIncrementsPerThread = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrementsPerThread; ++i) {
        if (!client->Run({"INCR", "shared"}).ok()) failures.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(failures.load() == 0);
  CHECK(MustRun(*client, {"GET", "shared"}).string ==
        std::to_string(kThreads * kIncrementsPerThread));
}

TEST_CASE("redis client answers UNAVAILABLE within its timeout when Redis is stopped", "[redis]") {
  RedisServer server;
  std::unique_ptr<Client> client = NewClient(server.address());
  MustRun(*client, {"PING"});
  server.Stop();

  for (int attempt = 0; attempt < 3; ++attempt) {
    const absl::Time start = absl::Now();
    absl::StatusOr<Reply> reply = client->Run({"PING"});
    const absl::Duration took = absl::Now() - start;
    CHECK(reply.status().code() == absl::StatusCode::kUnavailable);
    CHECK(reply.status().message().find(server.address()) != absl::string_view::npos);
    CHECK(took < absl::Seconds(2));
  }
}

TEST_CASE("redis client uses a restarted Redis again without help", "[redis]") {
  RedisServer server;
  std::unique_ptr<Client> client = NewClient(server.address());
  MustRun(*client, {"SET", "before", "1"});
  server.Stop();
  CHECK(client->Run({"GET", "before"}).status().code() == absl::StatusCode::kUnavailable);

  server.Start();
  absl::StatusOr<Reply> reply = absl::UnavailableError("not tried");
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline) {
    reply = client->Run({"SET", "after", "2"});
    if (reply.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(reply.ok());
  CHECK(MustRun(*client, {"GET", "after"}).string == "2");
}

TEST_CASE("redis client drops a command not answered in time so its late answer is never misread",
          "[redis]") {
  RedisServer server;
  std::unique_ptr<Client> client = NewClient(server.address(), /*connections=*/1);
  // BLPOP on an empty list makes Redis hold the answer for 1 s, longer than the 200 ms
  // the client allows.
  const absl::Time start = absl::Now();
  absl::StatusOr<Reply> slow = client->Run({"BLPOP", "empty", "1"});
  CHECK(slow.status().code() == absl::StatusCode::kUnavailable);
  CHECK(absl::Now() - start < absl::Seconds(1));

  // Once Redis has sent its late "(nil)" for BLPOP, it must not be read as the answer
  // to the next command.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  CHECK(MustRun(*client, {"SET", "key", "value"}).type == Reply::Type::kStatus);
  CHECK(MustRun(*client, {"GET", "key"}).string == "value");
}

}  // namespace
}  // namespace bitcontent::redis
