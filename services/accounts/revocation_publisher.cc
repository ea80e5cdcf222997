#include "services/accounts/revocation_publisher.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/accounts/limits.h"

namespace bitcontent::accounts {

std::string RevocationKey(absl::string_view kind, absl::string_view id) {
  return absl::StrCat("bc:revoked:", kind, ":", id);
}

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

absl::Status RevocationPublisher::PublishOnce(absl::Time now) {
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
  if (!failure.ok()) return failure;
  if (entries->size() == kRevocationsPublishedPerRoundMax) {
    return absl::ResourceExhaustedError("more revocations are waiting");
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::accounts
