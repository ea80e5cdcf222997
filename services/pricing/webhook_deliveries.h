// WebhookDeliveries: the durable state of every event on its way to an endpoint. A
// delivery is staged in the purchase's own batch (a PENDING record and an outbox entry),
// so it exists exactly when the purchase does; the deliverer (webhook_deliverer.h)
// claims an attempt, POSTs, and records the outcome here. Before each POST the claim
// commits the attempt count and the time of the next attempt (a retry entry), so a
// crash in the middle of an attempt loses nothing: the retry comes at its time, marked
// as a redelivery, with the same delivery id.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/paywall_service.pb.h"
#include "libs/store/outbox.h"
#include "services/pricing/paywall_db.h"
#include "services/pricing/paywall_records.pb.h"
#include "services/pricing/webhook_backoff.h"

namespace bitcontent::pricing {

// user id || endpoint id || delivery id.
std::string DeliveryKey(std::string_view user_id, std::string_view endpoint_id,
                        std::string_view delivery_id);

class WebhookDeliveries {
 public:
  // One attempt the deliverer is to make.
  struct Attempt {
    std::string user_id;
    std::string endpoint_id;
    storage::DeliveryRecord record;  // attempt_count already counts this attempt
  };
  // A retry whose time has come.
  struct DueRetry {
    std::string retry_key;
    std::string delivery_key;
  };

  // `db` and `outbox` (over db.outbox) must outlive this.
  WebhookDeliveries(const PaywallDb& db, store::Outbox* outbox, RetrySchedule schedule)
      : db_(db), outbox_(outbox), schedule_(schedule) {}

  // Stages a PENDING delivery of `body` (the event `event`) to the endpoint, and its
  // outbox entry, in `batch`. Call outbox()->Notify() once the batch committed.
  void Stage(store::WriteBatch* batch, std::string_view user_id, std::string_view endpoint_id,
             const v1::WebhookEvent& event, std::string body, absl::Time now);

  // An endpoint's deliveries, newest first, optionally only those in `state`.
  absl::StatusOr<v1::ListWebhookDeliveriesResponse> List(
      std::string_view user_id, std::string_view endpoint_id,
      const v1::ListWebhookDeliveriesRequest& request) const;

  // Queues one more attempt of a delivery now (PENDING again, whatever its state); the
  // same request_id again queues nothing more. NOT_FOUND for an unknown delivery.
  absl::StatusOr<v1::WebhookDelivery> Redeliver(std::string_view user_id,
                                                std::string_view endpoint_id,
                                                std::string_view delivery_id,
                                                const v1::RedeliverWebhookRequest& request);

  // Stages the removal of every delivery to the endpoint (pending ones are dropped).
  absl::Status StageDropEndpoint(store::WriteBatch* batch, std::string_view user_id,
                                 std::string_view endpoint_id) const;

  // Retries due at `now`, soonest first, at most `limit`.
  absl::StatusOr<std::vector<DueRetry>> DueRetries(absl::Time now, size_t limit) const;

  // Claims the next attempt of a PENDING delivery (removing `retry_key` if given):
  // counts it, schedules the retry should it fail, and commits that before the POST.
  // nullopt when there is nothing to attempt (gone, SUCCEEDED or FAILED).
  absl::StatusOr<std::optional<Attempt>> Claim(std::string_view delivery_key,
                                               std::string_view retry_key, absl::Time now);

  // Records how a claimed attempt ended: `http_status` (0 without an answer) and
  // `error`. 2xx is SUCCEEDED; otherwise the claimed retry stands, or FAILED when this
  // was the last attempt.
  absl::Status Finish(std::string_view delivery_key, int http_status, std::string_view error,
                      absl::Time now);

  store::Outbox* outbox() const { return outbox_; }

 private:
  absl::StatusOr<std::optional<storage::DeliveryRecord>> Load(std::string_view key) const;

  const PaywallDb& db_;
  store::Outbox* const outbox_;
  const RetrySchedule schedule_;
  // Serialises the read-modify-write of delivery records (claims, outcomes, redelivery
  // requests); never held across a POST.
  absl::Mutex mu_;
};

}  // namespace bitcontent::pricing
