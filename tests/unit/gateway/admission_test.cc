// Rate limits and revocation checks: the in-process limiter, and Admission against a
// real redis-server, including what happens once Redis is stopped.
#include "services/gateway/admission.h"

#include <catch2/catch.hpp>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "libs/auth/revocation_keys.h"
#include "tests/unit/redis/redis_server.h"

namespace bitcontent::gateway {
namespace {

// Runs a check and waits for its result.
AdmissionResult Checked(Admission& admission, const AdmissionRequest& request) {
  AdmissionResult result;
  absl::Notification done;
  admission.Check(request, [&](AdmissionResult checked) {
    result = checked;
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

using Outcome = AdmissionResult::Outcome;

std::unique_ptr<redis::Client> Connect(const redis::RedisServer& server) {
  auto client = redis::Client::Connect({.address = server.address()});
  REQUIRE(client.ok());
  return *std::move(client);
}

TEST_CASE("gateway memory limiter allows the limit per window, then says how long to wait",
          "[gateway][limits]") {
  MemoryLimiter limiter;
  const absl::Time start = absl::FromUnixSeconds(1000);
  for (int i = 0; i < 3; ++i) {
    CHECK(limiter.Hit("ip:1", 3, absl::Seconds(10), start) == absl::ZeroDuration());
  }
  CHECK(limiter.Hit("ip:1", 3, absl::Seconds(10), start + absl::Seconds(4)) == absl::Seconds(6));
  // Another key has its own window; the first one's ends and starts again.
  CHECK(limiter.Hit("ip:2", 3, absl::Seconds(10), start) == absl::ZeroDuration());
  CHECK(limiter.Hit("ip:1", 3, absl::Seconds(10), start + absl::Seconds(10)) ==
        absl::ZeroDuration());
}

TEST_CASE("gateway memory limiter stays bounded under many keys", "[gateway][limits]") {
  MemoryLimiter limiter;
  const absl::Time now = absl::FromUnixSeconds(1000);
  for (size_t i = 0; i < MemoryLimiter::kKeysMax + 1000; ++i) {
    limiter.Hit("k" + std::to_string(i), 1, absl::Minutes(1), now);
  }
  // Still working: a fresh key gets its first request.
  CHECK(limiter.Hit("fresh", 1, absl::Minutes(1), now) == absl::ZeroDuration());
}

TEST_CASE("gateway admission counts limits in Redis and reports the wait", "[gateway][limits]") {
  redis::RedisServer server;
  auto redis = Connect(server);
  Admission admission(redis.get());
  const AdmissionRequest request = {.limits = {{"bc:rl:ip:10.0.0.1", 2, absl::Seconds(30)}}};
  CHECK(Checked(admission, request).outcome == Outcome::kAdmitted);
  CHECK(Checked(admission, request).outcome == Outcome::kAdmitted);
  const AdmissionResult limited = Checked(admission, request);
  CHECK(limited.outcome == Outcome::kRateLimited);
  CHECK(limited.retry_after > absl::Seconds(25));
  CHECK(limited.retry_after <= absl::Seconds(30));
  CHECK_FALSE(limited.fallback);

  // The window is in Redis, so a second gateway (another Admission) sees the same count.
  Admission other(redis.get());
  CHECK(Checked(other, request).outcome == Outcome::kRateLimited);
}

TEST_CASE("gateway admission refuses a revoked session before counting it", "[gateway][limits]") {
  redis::RedisServer server;
  auto redis = Connect(server);
  Admission admission(redis.get());
  const AdmissionRequest request = {.revocation_keys = {"bc:revoked:session:s1"},
                                    .limits = {{"bc:rl:user:u1", 100, absl::Minutes(1)}}};
  // Until accounts has set the whole revocation list (a new or restarted Redis), no token
  // is let through: a missing key may be a forgotten revocation.
  const AdmissionResult unsure = Checked(admission, request);
  CHECK(unsure.outcome == Outcome::kUnverifiable);
  CHECK_FALSE(unsure.fallback);
  REQUIRE(redis->Run({"SET", std::string(auth::kRevocationsCompleteKey), "1"}).ok());
  CHECK(Checked(admission, request).outcome == Outcome::kAdmitted);
  REQUIRE(redis->Run({"SET", "bc:revoked:session:s1", "1", "PX", "60000"}).ok());
  CHECK(Checked(admission, request).outcome == Outcome::kRevoked);
  absl::StatusOr<redis::Reply> count = redis->Run({"GET", "bc:rl:user:u1"});
  REQUIRE(count.ok());
  CHECK(count->string == "1");
  // Public requests (no token) do not wait for the list.
  CHECK(Checked(admission, {.limits = {{"bc:rl:ip:1", 100, absl::Minutes(1)}}}).outcome ==
        Outcome::kAdmitted);
}

TEST_CASE("gateway admission fails closed for revocations and limits in process without Redis",
          "[gateway][limits]") {
  redis::RedisServer server;
  auto redis = Connect(server);
  Admission admission(redis.get());
  server.Stop();

  const AdmissionResult authenticated =
      Checked(admission, {.revocation_keys = {"bc:revoked:session:s1"}});
  CHECK(authenticated.outcome == Outcome::kUnverifiable);
  CHECK(authenticated.fallback);

  const AdmissionRequest login = {.limits = {{"bc:rl:cred:ip:10.0.0.2", 2, absl::Minutes(1)}}};
  CHECK(Checked(admission, login).outcome == Outcome::kAdmitted);
  CHECK(Checked(admission, login).outcome == Outcome::kAdmitted);
  const AdmissionResult limited = Checked(admission, login);
  CHECK(limited.outcome == Outcome::kRateLimited);
  CHECK(limited.fallback);
  CHECK(admission.fallbacks() >= 4);

  // Without any Redis configured, the same rules hold.
  Admission none(nullptr);
  CHECK(Checked(none, {.revocation_keys = {"k"}}).outcome == Outcome::kUnverifiable);
}

}  // namespace
}  // namespace bitcontent::gateway
