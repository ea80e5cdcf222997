// The retry schedule of webhook deliveries: 30 s doubling, at most 1 h apart, for 3 days.
#include "services/pricing/webhook_backoff.h"

#include <catch2/catch.hpp>

namespace bitcontent::pricing {

TEST_CASE("Retry delays double from 30 s and stop at 1 h") {
  const RetrySchedule schedule;
  CHECK(RetryDelay(schedule, 1) == absl::Seconds(30));
  CHECK(RetryDelay(schedule, 2) == absl::Seconds(60));
  CHECK(RetryDelay(schedule, 3) == absl::Seconds(120));
  CHECK(RetryDelay(schedule, 7) == absl::Seconds(1920));
  CHECK(RetryDelay(schedule, 8) == absl::Hours(1));  // 3840 s capped
  CHECK(RetryDelay(schedule, 1000) == absl::Hours(1));
}

TEST_CASE("Retries stop once the next attempt would fall past the 3-day window") {
  const RetrySchedule schedule;
  const absl::Time created = absl::FromUnixSeconds(1'700'000'000);
  absl::Time now = created;
  uint32_t attempts = 1;
  for (;; ++attempts) {
    const std::optional<absl::Time> next = NextAttemptTime(schedule, created, attempts, now);
    if (!next.has_value()) break;
    CHECK(*next - created <= absl::Hours(72));
    now = *next;
  }
  // 8 attempts up to 3,810 s, then one an hour while within 259,200 s: 70 more.
  CHECK(attempts == 78);
  CHECK(now - created == absl::Seconds(3810 + 70 * 3600));
}

TEST_CASE("A short schedule for tests keeps the same shape") {
  const RetrySchedule schedule = {.base = absl::Milliseconds(100),
                                  .delay_max = absl::Milliseconds(400),
                                  .window = absl::Seconds(1)};
  CHECK(RetryDelay(schedule, 2) == absl::Milliseconds(200));
  CHECK(RetryDelay(schedule, 5) == absl::Milliseconds(400));
  const absl::Time created = absl::UnixEpoch();
  CHECK(NextAttemptTime(schedule, created, 1, created) == created + absl::Milliseconds(100));
  CHECK(!NextAttemptTime(schedule, created, 4, created + absl::Milliseconds(700)).has_value());
}

}  // namespace bitcontent::pricing
