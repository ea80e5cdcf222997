// The deliverer's flags: the retry schedule (paywall.proto's by default; tests shorten it
// to milliseconds) and the per-attempt timeout.
#pragma once

#include "absl/status/statusor.h"
#include "services/pricing/webhook_backoff.h"
#include "services/pricing/webhook_deliverer.h"

namespace bitcontent::pricing {

struct WebhookConfig {
  RetrySchedule schedule;
  DelivererOptions deliverer;
};

// The flags, checked: positive durations, base <= delay_max <= window.
absl::StatusOr<WebhookConfig> WebhookConfigFromFlags();

}  // namespace bitcontent::pricing
