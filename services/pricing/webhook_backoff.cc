#include "services/pricing/webhook_backoff.h"

#include <algorithm>

namespace bitcontent::pricing {

absl::Duration RetryDelay(const RetrySchedule& schedule, uint32_t attempts) {
  absl::Duration delay = schedule.base;
  // Doubling stops at the cap, so the loop runs at most ~log2(delay_max / base) times.
  for (uint32_t i = 1; i < attempts && delay < schedule.delay_max; ++i) delay *= 2;
  return std::min(delay, schedule.delay_max);
}

std::optional<absl::Time> NextAttemptTime(const RetrySchedule& schedule, absl::Time created,
                                          uint32_t attempts, absl::Time now) {
  const absl::Time next = now + RetryDelay(schedule, attempts);
  if (next - created > schedule.window) return std::nullopt;
  return next;
}

}  // namespace bitcontent::pricing
