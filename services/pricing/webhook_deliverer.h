// WebhookDeliverer: the background thread that POSTs webhook deliveries. It drains the
// webhook outbox (new events and redelivery requests, woken as soon as they commit) and
// the retry schedule (polled every `poll_interval`), through kit::OutboxSender. Each
// attempt is claimed first (webhook_deliveries.h), then POSTed with the four headers of
// paywall.proto and signed (webhook_signature.h), then recorded. Attempts run one at a
// time, each within `request_timeout`.
#pragma once

#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/kit/outbox_sender.h"
#include "services/pricing/webhook_deliveries.h"
#include "services/pricing/webhook_endpoints.h"

namespace bitcontent::pricing {

struct DelivererOptions {
  absl::Duration request_timeout = absl::Seconds(10);
  // How often due retries are looked for (and a missed wake-up noticed).
  absl::Duration poll_interval = absl::Seconds(1);
  // Attempts per round, from the outbox and from the retries each.
  size_t round_attempts_max = 32;
};

class WebhookDeliverer {
 public:
  // Every argument must outlive this.
  WebhookDeliverer(WebhookDeliveries* deliveries, const WebhookEndpoints* endpoints,
                   DelivererOptions options);
  // Stops the thread (an attempt in flight finishes first, within request_timeout).
  ~WebhookDeliverer();

  void Start();
  // One round: the outbox's oldest entries, then the retries due. OK when both are
  // drained, RESOURCE_EXHAUSTED when more wait; another error when the store failed.
  absl::Status SendOnce();

 private:
  // Claims, POSTs and records one attempt; OK also when there was nothing to attempt.
  absl::Status Attempt(const std::string& delivery_key, const std::string& retry_key);

  WebhookDeliveries* const deliveries_;
  const WebhookEndpoints* const endpoints_;
  const DelivererOptions options_;
  kit::OutboxSender sender_;
};

}  // namespace bitcontent::pricing
