#include "services/gateway/admission.h"

#include <cassert>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/revocation_keys.h"
#include "libs/kit/log.h"
#include "libs/kit/rpc_metrics.h"

namespace bitcontent::gateway {
namespace {

// KEYS: when a token is checked, the marker that Redis holds every revocation
// (kRevocationsCompleteKey) and the revocation keys; then one key per rate limit.
// ARGV[1]: how many keys before the limits; then, per limit, its request count and
// window (ms). Returns {0 admitted, 1 revoked, or 2 the revocation list is not whole
// (Redis restarted and accounts has not set it again yet); milliseconds until the
// tightest exceeded window ends (0 when every limit holds)}. Refused requests are not
// counted against the limits.
constexpr char kAdmissionScript[] = R"lua(
local revocations = tonumber(ARGV[1])
if revocations > 0 and redis.call('EXISTS', KEYS[1]) == 0 then return {2, 0} end
for i = 2, revocations do
  if redis.call('EXISTS', KEYS[i]) == 1 then return {1, 0} end
end
local retry_ms = 0
for i = revocations + 1, #KEYS do
  local at = 2 + (i - revocations - 1) * 2
  local limit = tonumber(ARGV[at])
  local window_ms = tonumber(ARGV[at + 1])
  local count = redis.call('INCR', KEYS[i])
  local ttl = redis.call('PTTL', KEYS[i])
  if count == 1 or ttl < 0 then
    redis.call('PEXPIRE', KEYS[i], window_ms)
    ttl = window_ms
  end
  if count > limit and ttl > retry_ms then retry_ms = ttl end
end
return {0, retry_ms}
)lua";

}  // namespace

Admission::Admission(redis::Client* redis)
    : redis_(redis),
      script_(kAdmissionScript),
      fallback_counter_(kit::Metrics()
                            .AddCounter("gateway_redis_fallbacks_total",
                                        "Requests checked without Redis (unreachable): refused "
                                        "when authenticated, limited in process otherwise.",
                                        {})
                            .WithLabels({})) {}

void Admission::NoteRedis(bool reachable) {
  if (redis_reachable_.exchange(reachable) == reachable) return;
  if (reachable) {
    kit::Log(spdlog::level::info,
             "Redis is reachable again: revocation checks and shared rate "
             "limits are back");
  } else {
    kit::Log(spdlog::level::err,
             "Redis is unreachable: authenticated requests are refused (503) and rate limits "
             "are kept in process until it is back");
  }
}

void Admission::Check(const AdmissionRequest& request, Done done) {
  assert(request.revocation_keys.size() + request.limits.size() <= kKeysMax);
  if (redis_ == nullptr) return done(Fallback(request));
  std::vector<std::string> keys;
  if (!request.revocation_keys.empty()) {
    keys.push_back(auth::kRevocationsCompleteKey);
    keys.insert(keys.end(), request.revocation_keys.begin(), request.revocation_keys.end());
  }
  std::vector<std::string> args = {absl::StrCat(keys.size())};
  for (const RateLimit& limit : request.limits) {
    keys.push_back(limit.key);
    args.push_back(absl::StrCat(limit.limit));
    args.push_back(absl::StrCat(absl::ToInt64Milliseconds(limit.window)));
  }
  script_.Send(*redis_, keys, args,
               [this, request, done = std::move(done)](absl::StatusOr<redis::Reply> reply) {
                 done(Decide(request, std::move(reply)));
               });
}

AdmissionResult Admission::Decide(const AdmissionRequest& request,
                                  absl::StatusOr<redis::Reply> reply) {
  NoteRedis(reply.ok());
  if (!reply.ok()) return Fallback(request);
  if (reply->type != redis::Reply::Type::kArray || reply->elements.size() != 2) {
    // Redis answered, but not what the script returns (an error, a wrong build): treat
    // it as unreachable rather than guess.
    kit::Log(spdlog::level::err, "unexpected answer to the admission script",
             {{"reply", redis::DescribeReply(*reply)}});
    return Fallback(request);
  }
  AdmissionResult result;
  if (reply->elements[0].integer == 2) {
    // Fail closed until accounts has set every revocation again (RevocationPublisher).
    if (!list_lost_.exchange(true)) {
      kit::Log(spdlog::level::err,
               "Redis holds no complete revocation list (restarted?): authenticated requests "
               "are refused (503) until accounts sets it again");
    }
    result.outcome = AdmissionResult::Outcome::kUnverifiable;
    return result;
  }
  if (list_lost_.exchange(false)) {
    kit::Log(spdlog::level::info, "the revocation list is whole again");
  }
  if (reply->elements[0].integer == 1) {
    result.outcome = AdmissionResult::Outcome::kRevoked;
  } else if (reply->elements[1].integer > 0) {
    result.outcome = AdmissionResult::Outcome::kRateLimited;
    result.retry_after = absl::Milliseconds(reply->elements[1].integer);
  }
  return result;
}

AdmissionResult Admission::Fallback(const AdmissionRequest& request) {
  fallbacks_.fetch_add(1, std::memory_order_relaxed);
  fallback_counter_.Increment();
  AdmissionResult result;
  result.fallback = true;
  if (!request.revocation_keys.empty()) {
    result.outcome = AdmissionResult::Outcome::kUnverifiable;
    return result;
  }
  const absl::Time now = absl::Now();
  for (const RateLimit& limit : request.limits) {
    result.retry_after =
        std::max(result.retry_after, memory_.Hit(limit.key, limit.limit, limit.window, now));
  }
  if (result.retry_after > absl::ZeroDuration()) {
    result.outcome = AdmissionResult::Outcome::kRateLimited;
  }
  return result;
}

}  // namespace bitcontent::gateway
