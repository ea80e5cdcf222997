#include "services/pricing/webhook_flags.h"

#include <algorithm>

#include "absl/flags/flag.h"

ABSL_FLAG(absl::Duration, webhook_retry_base, bitcontent::pricing::RetrySchedule{}.base,
          "Wait after a webhook delivery's first failed attempt; doubles after each failure.");
ABSL_FLAG(absl::Duration, webhook_retry_delay_max, bitcontent::pricing::RetrySchedule{}.delay_max,
          "Longest wait between two attempts of a webhook delivery.");
ABSL_FLAG(absl::Duration, webhook_retry_window, bitcontent::pricing::RetrySchedule{}.window,
          "How long after its event a delivery is still retried; then it is FAILED.");
ABSL_FLAG(absl::Duration, webhook_timeout, bitcontent::pricing::DelivererOptions{}.request_timeout,
          "Time an endpoint has to answer one webhook POST.");

namespace bitcontent::pricing {

absl::StatusOr<WebhookConfig> WebhookConfigFromFlags() {
  WebhookConfig config;
  config.schedule = {.base = absl::GetFlag(FLAGS_webhook_retry_base),
                     .delay_max = absl::GetFlag(FLAGS_webhook_retry_delay_max),
                     .window = absl::GetFlag(FLAGS_webhook_retry_window)};
  config.deliverer.request_timeout = absl::GetFlag(FLAGS_webhook_timeout);
  const RetrySchedule& s = config.schedule;
  if (s.base <= absl::ZeroDuration() || s.delay_max < s.base || s.window < s.delay_max) {
    return absl::InvalidArgumentError(
        "need 0 < --webhook_retry_base <= --webhook_retry_delay_max <= --webhook_retry_window");
  }
  if (config.deliverer.request_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--webhook_timeout must be positive");
  }
  // Retries are looked for at least as often as the shortest wait between attempts.
  config.deliverer.poll_interval = std::min(absl::Seconds(1), s.base);
  return config;
}

}  // namespace bitcontent::pricing
