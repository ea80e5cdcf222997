// Admission: the checks every request passes before it reaches a service, in ONE Redis
// round trip (a Lua script): is the caller's session or API key revoked
// (bc:revoked:session:<id>, bc:revoked:api_key:<id>, written by accounts), and is any
// of its rate limits exceeded (fixed windows, INCR + PEXPIRE under bc:rl:...). Redis keeps
// nothing on disk: a token is checked only while it holds kRevocationsCompleteKey, which
// accounts sets once every revocation a live token may meet is there again (refused as
// kUnverifiable meanwhile), so a restart of Redis never lets a revoked token back in.
//
// When Redis cannot be reached, the gateway fails closed for authentication and open
// for nothing else: a request that needs a revocation check is refused (kUnverifiable,
// answered 503 "revocation list unavailable", Retry-After: 1), and rate limits fall back
// to the in-process MemoryLimiter, so public routes (sign-up, login...) keep working and
// stay limited.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "libs/metrics/counter.h"
#include "libs/redis/client.h"
#include "libs/redis/script.h"
#include "services/gateway/memory_limiter.h"

namespace bitcontent::gateway {

struct RateLimit {
  std::string key = {};  // "bc:rl:ip:127.0.0.1"
  int64_t limit = 0;     // Requests allowed per window.
  absl::Duration window = absl::Minutes(1);
};

struct AdmissionRequest {
  // Keys whose presence in Redis means "revoked"; empty for public routes.
  std::vector<std::string> revocation_keys = {};
  std::vector<RateLimit> limits = {};
};

struct AdmissionResult {
  enum class Outcome {
    kAdmitted,
    kRevoked,       // A revocation key is set.
    kRateLimited,   // See retry_after.
    kUnverifiable,  // Redis is unreachable and the request needs a revocation check.
  };
  Outcome outcome = Outcome::kAdmitted;
  absl::Duration retry_after = absl::ZeroDuration();
  // True when Redis was unreachable (the in-process limiter decided).
  bool fallback = false;
};

class Admission {
 public:
  // Most keys one check may carry (revocations plus limits).
  static constexpr size_t kKeysMax = 8;

  // `redis` may be null (no --redis_address): every check then takes the fallback path.
  explicit Admission(redis::Client* redis);

  using Done = std::function<void(AdmissionResult)>;

  // Runs the checks of `request` without waiting for Redis: `done` gets the result on
  // the Redis client's pipeline thread (or at once, on this thread, when Redis is not
  // involved). Thread-safe.
  void Check(const AdmissionRequest& request, Done done);

  // Checks that took the fallback path because Redis was unreachable, since start.
  uint64_t fallbacks() const { return fallbacks_.load(std::memory_order_relaxed); }

 private:
  AdmissionResult Fallback(const AdmissionRequest& request);
  // The result Redis's `reply` to the admission script means.
  AdmissionResult Decide(const AdmissionRequest& request, absl::StatusOr<redis::Reply> reply);
  // Logs when Redis becomes unreachable and when it is back, once each time.
  void NoteRedis(bool reachable);

  redis::Client* const redis_;
  const redis::Script script_;
  MemoryLimiter memory_;
  std::atomic<uint64_t> fallbacks_{0};
  std::atomic<bool> redis_reachable_{true};
  // Whether the last answer said the revocation list is not whole (logged once).
  std::atomic<bool> list_lost_{false};
  metrics::Counter& fallback_counter_;
};

}  // namespace bitcontent::gateway
