#include "services/accounts/revocation_publisher.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/kit/log.h"
#include "services/accounts/limits.h"

namespace bitcontent::accounts {

RevocationPublisher::RevocationPublisher(RevocationOutbox* outbox,
                                         std::unique_ptr<redis::Client> redis,
                                         absl::Duration access_token_ttl)
    : outbox_(outbox),
      redis_(std::move(redis)),
      access_token_ttl_(access_token_ttl),
      sender_(outbox->queue(), [this] { return PublishOnce(absl::Now()); },
              {.what = "revocations",
               .receiver = "redis",
               .retry_delay_min = kRevocationRetryDelayMin,
               .retry_delay_max = kRevocationRetryDelayMax}) {}

absl::Status RevocationPublisher::RepublishIfLost(absl::Time now) {
  absl::StatusOr<redis::Reply> complete = redis_->Run({"EXISTS", kRevocationsCompleteKey});
  if (!complete.ok()) return complete.status();
  if (complete->integer == 1) return absl::OkStatus();
  absl::StatusOr<std::vector<PendingRevocation>> live =
      outbox_->Recorded(now - access_token_ttl_, kRevocationsRecordedMax);
  if (!live.ok()) return live.status();
  if (live->size() == kRevocationsRecordedMax) {
    kit::Log(spdlog::level::err,
             "more live revocations than are set again at once: the newest "
             "wait for their own publication",
             {{"most", absl::StrCat(kRevocationsRecordedMax)}});
  }
  // KEYS: the revocation keys, then the marker; ARGV: each key's lifetime in ms.
  constexpr char kScript[] = R"lua(
for i = 1, #KEYS - 1 do redis.call('SET', KEYS[i], '1', 'PX', ARGV[i]) end
redis.call('SET', KEYS[#KEYS], '1')
return #KEYS - 1
)lua";
  std::vector<std::string> keys, lifetimes;
  for (const PendingRevocation& entry : *live) {
    const absl::Duration left = entry.revoke_time + access_token_ttl_ - now;
    if (left <= absl::ZeroDuration()) continue;
    keys.push_back(RevocationKey(entry.kind, entry.id));
    lifetimes.push_back(absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(left))));
  }
  keys.push_back(kRevocationsCompleteKey);
  std::vector<std::string> command = {"EVAL", kScript, absl::StrCat(keys.size())};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), lifetimes.begin(), lifetimes.end());
  absl::StatusOr<redis::Reply> set = redis_->Run(command);
  if (!set.ok()) return set.status();
  if (set->is_error()) {
    return absl::InternalError(absl::StrCat("redis refused the revocations: ", set->string));
  }
  kit::Log(spdlog::level::warn,
           "Redis held no revocation list (restarted, or new): every live revocation was set "
           "again",
           {{"revocations", absl::StrCat(keys.size() - 1)}});
  return absl::OkStatus();
}

absl::Status RevocationPublisher::PublishOnce(absl::Time now) {
  if (redis_ != nullptr) {
    if (absl::Status republished = RepublishIfLost(now); !republished.ok()) return republished;
  }
  absl::StatusOr<std::vector<PendingRevocation>> entries =
      outbox_->Oldest(kRevocationsPublishedPerRoundMax);
  if (!entries.ok()) return entries.status();
  std::vector<PendingRevocation> done;
  absl::Status failure = absl::OkStatus();
  for (const PendingRevocation& entry : *entries) {
    const absl::Duration left = entry.revoke_time + access_token_ttl_ - now;
    if (left > absl::ZeroDuration() && redis_ != nullptr) {
      const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(left));
      absl::StatusOr<redis::Reply> reply =
          redis_->Run({"SET", RevocationKey(entry.kind, entry.id), "1", "PX", absl::StrCat(ms)});
      if (!reply.ok()) {
        failure = reply.status();
        break;  // Redis is down: keep this entry and the rest for the next round.
      }
      if (reply->is_error()) {
        failure = absl::InternalError(absl::StrCat("redis refused SET: ", reply->string));
        break;
      }
    }
    done.push_back(entry);
  }
  if (!done.empty()) {
    if (absl::Status removed = outbox_->Remove(done); !removed.ok()) return removed;
  }
  // What a restart of Redis would need to set again stays bounded by the token lifetime.
  if (absl::Status pruned =
          outbox_->Prune(now - access_token_ttl_, kRevocationsPublishedPerRoundMax);
      !pruned.ok()) {
    return pruned;
  }
  if (!failure.ok()) return failure;
  if (entries->size() == kRevocationsPublishedPerRoundMax) {
    return absl::ResourceExhaustedError("more revocations are waiting");
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::accounts
