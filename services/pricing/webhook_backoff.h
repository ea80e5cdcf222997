// When a failed webhook delivery is tried again: exponential backoff from `base`,
// doubling after every failed attempt up to `delay_max` between attempts, for as long as
// the next attempt still falls within `window` of the delivery's creation. After that
// the delivery is FAILED (RedeliverWebhook can try once more). The defaults are the
// contract's (paywall.proto): 30 s doubling, at most 1 h apart, for 3 days, which makes
// about 80 attempts.
#pragma once

#include <cstdint>
#include <optional>

#include "absl/time/time.h"

namespace bitcontent::pricing {

struct RetrySchedule {
  absl::Duration base = absl::Seconds(30);
  absl::Duration delay_max = absl::Hours(1);
  absl::Duration window = absl::Hours(72);
};

// The wait after the `attempts`-th failed attempt (1 for the first):
// min(base * 2^(attempts - 1), delay_max).
absl::Duration RetryDelay(const RetrySchedule& schedule, uint32_t attempts);

// The time of the next attempt of a delivery created at `created` whose `attempts`-th
// attempt starts at `now`, should it fail; nullopt when that would be past the window
// (this attempt is the last).
std::optional<absl::Time> NextAttemptTime(const RetrySchedule& schedule, absl::Time created,
                                          uint32_t attempts, absl::Time now);

}  // namespace bitcontent::pricing
