#include "services/pricing/webhook_deliverer.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/kit/resource_names.h"
#include "services/pricing/webhook_post.h"
#include "services/pricing/webhook_signature.h"

namespace bitcontent::pricing {

WebhookDeliverer::WebhookDeliverer(WebhookDeliveries* deliveries, const WebhookEndpoints* endpoints,
                                   DelivererOptions options)
    : deliveries_(deliveries),
      endpoints_(endpoints),
      options_(options),
      sender_(deliveries->outbox(), [this] { return SendOnce(); },
              {.what = "webhooks",
               .receiver = "webhook endpoints",
               .retry_delay_min = options.poll_interval,
               .retry_delay_max = options.poll_interval}) {}

WebhookDeliverer::~WebhookDeliverer() = default;

void WebhookDeliverer::Start() { sender_.Start(); }

absl::Status WebhookDeliverer::SendOnce() {
  absl::StatusOr<std::vector<store::Outbox::Entry>> fresh =
      deliveries_->outbox()->Oldest(options_.round_attempts_max);
  if (!fresh.ok()) return fresh.status();
  for (const store::Outbox::Entry& entry : *fresh) {
    if (absl::Status done = Attempt(entry.value, ""); !done.ok()) return done;
  }
  if (absl::Status removed = deliveries_->outbox()->Remove(*fresh); !removed.ok()) {
    return removed;
  }
  absl::StatusOr<std::vector<WebhookDeliveries::DueRetry>> due =
      deliveries_->DueRetries(absl::Now(), options_.round_attempts_max);
  if (!due.ok()) return due.status();
  for (const WebhookDeliveries::DueRetry& retry : *due) {
    if (absl::Status done = Attempt(retry.delivery_key, retry.retry_key); !done.ok()) return done;
  }
  if (fresh->size() == options_.round_attempts_max || due->size() == options_.round_attempts_max) {
    return absl::ResourceExhaustedError("more webhook deliveries are waiting");
  }
  return absl::OkStatus();
}

absl::Status WebhookDeliverer::Attempt(const std::string& delivery_key,
                                       const std::string& retry_key) {
  absl::StatusOr<std::optional<WebhookDeliveries::Attempt>> attempt =
      deliveries_->Claim(delivery_key, retry_key, absl::Now());
  if (!attempt.ok()) return attempt.status();
  if (!attempt->has_value()) return absl::OkStatus();
  const v1::WebhookDelivery& delivery = (*attempt)->record.delivery();
  absl::StatusOr<SigningTarget> target =
      endpoints_->Target((*attempt)->user_id, (*attempt)->endpoint_id, absl::Now());
  if (absl::IsNotFound(target.status())) return absl::OkStatus();  // Deleted meanwhile.
  if (!target.ok()) return target.status();
  const std::string& body = (*attempt)->record.body();
  std::vector<std::pair<std::string, std::string>> headers = {
      {kSignatureHeader, SignatureHeader(target->secrets, absl::ToUnixSeconds(absl::Now()), body)},
      {kEventIdHeader, delivery.event_id()},
      {kDeliveryIdHeader, std::string(kit::IdOfName(delivery.name()))},
  };
  if (delivery.attempt_count() > 1) headers.emplace_back(kRedeliveryHeader, "true");
  const PostOutcome outcome = PostWebhook(target->url, body, headers, options_.request_timeout);
  return deliveries_->Finish(delivery_key, outcome.http_status, outcome.error, absl::Now());
}

}  // namespace bitcontent::pricing
