// Client::Send and Script::Send against a real redis-server: answers reach the right
// callers in order under concurrency, and an outage fails them fast and heals.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "libs/redis/client.h"
#include "libs/redis/script.h"
#include "tests/unit/redis/redis_server.h"

namespace bitcontent::redis {
namespace {

std::unique_ptr<Client> NewClient(const std::string& address) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      Client::Connect({.address = address, .timeout = absl::Milliseconds(200)});
  REQUIRE(client.ok());
  return *std::move(client);
}

// Sends `args` and waits for the answer.
absl::StatusOr<Reply> SendAndWait(Client& client, std::vector<std::string> args) {
  absl::StatusOr<Reply> answer = absl::UnknownError("no answer");
  absl::Notification done;
  client.Send(std::move(args), [&](absl::StatusOr<Reply> reply) {
    answer = std::move(reply);
    done.Notify();
  });
  done.WaitForNotification();
  return answer;
}

TEST_CASE("redis pipeline gives each of many concurrent senders its own answer, in order",
          "[redis][pipeline]") {
  RedisServer server;
  std::unique_ptr<Client> client = NewClient(server.address());
  constexpr int kThreads = 8;
  constexpr int kCommandsPerThread = 500;
  // Each thread increments its own counter without waiting, so its answers must come
  // back 1, 2, 3... in the order sent, never another thread's.
  std::vector<std::vector<int64_t>> seen(kThreads);
  std::vector<absl::Mutex> seen_mu(kThreads);
  std::atomic<int> answered{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommandsPerThread; ++i) {
        client->Send({"INCR", "counter:" + std::to_string(t)}, [&, t](absl::StatusOr<Reply> reply) {
          if (!reply.ok() || reply->type != Reply::Type::kInteger) {
            failures.fetch_add(1);
          } else {
            absl::MutexLock lock(&seen_mu[t]);
            seen[t].push_back(reply->integer);
          }
          answered.fetch_add(1);
        });
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (answered.load() < kThreads * kCommandsPerThread && absl::Now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(answered.load() == kThreads * kCommandsPerThread);
  CHECK(failures.load() == 0);
  for (int t = 0; t < kThreads; ++t) {
    absl::MutexLock lock(&seen_mu[t]);
    REQUIRE(seen[t].size() == kCommandsPerThread);
    for (int i = 0; i < kCommandsPerThread; ++i) CHECK(seen[t][i] == i + 1);
  }
}

TEST_CASE("redis pipeline fails fast while Redis is down and works again once it is back",
          "[redis][pipeline]") {
  RedisServer server;
  std::unique_ptr<Client> client = NewClient(server.address());
  REQUIRE(SendAndWait(*client, {"SET", "before", "1"}).ok());
  server.Stop();

  const absl::Time start = absl::Now();
  absl::StatusOr<Reply> down = SendAndWait(*client, {"GET", "before"});
  CHECK(down.status().code() == absl::StatusCode::kUnavailable);
  CHECK(down.status().message().find(server.address()) != absl::string_view::npos);
  CHECK(absl::Now() - start < absl::Seconds(2));

  server.Start();
  absl::StatusOr<Reply> back = absl::UnavailableError("not tried");
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline) {
    back = SendAndWait(*client, {"SET", "after", "2"});
    if (back.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(back.ok());
  absl::StatusOr<Reply> after = SendAndWait(*client, {"GET", "after"});
  REQUIRE(after.ok());
  CHECK(after->string == "2");
}

TEST_CASE("redis script sent through the pipeline reloads itself after SCRIPT FLUSH",
          "[redis][pipeline]") {
  RedisServer server;
  std::unique_ptr<Client> client = NewClient(server.address());
  const Script add("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  const auto send = [&](const std::string& amount) {
    absl::StatusOr<Reply> answer = absl::UnknownError("no answer");
    absl::Notification done;
    add.Send(*client, {"total"}, {amount}, [&](absl::StatusOr<Reply> reply) {
      answer = std::move(reply);
      done.Notify();
    });
    done.WaitForNotification();
    return answer;
  };
  absl::StatusOr<Reply> first = send("5");
  REQUIRE(first.ok());
  CHECK(first->integer == 5);
  REQUIRE(client->Run({"SCRIPT", "FLUSH"}).ok());
  absl::StatusOr<Reply> second = send("7");
  REQUIRE(second.ok());
  CHECK(second->integer == 12);
}

}  // namespace
}  // namespace bitcontent::redis
