#include "services/pricing/webhook_deliveries.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/pagination.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/pricing/paywall_names.h"
#include "services/pricing/paywall_requests.h"

namespace bitcontent::pricing {
namespace {

using store::KeyView;

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

constexpr size_t kDeliveryKeyBytes = 3 * ids::kIdLength;
constexpr size_t kTimeBytes = store::kUint64Size;
// A listing filtered by state skips the others, so a page reads at most this many.
constexpr size_t kScannedPerPageMax = 1000;

std::string RetryKey(absl::Time at, std::string_view delivery_key) {
  return absl::StrCat(store::EncodeTime(at), Absl(delivery_key));
}

bool IsSuccess(int http_status) { return http_status >= 200 && http_status < 300; }

}  // namespace

std::string DeliveryKey(std::string_view user_id, std::string_view endpoint_id,
                        std::string_view delivery_id) {
  return absl::StrCat(Absl(user_id), Absl(endpoint_id), Absl(delivery_id));
}

void WebhookDeliveries::Stage(store::WriteBatch* batch, std::string_view user_id,
                              std::string_view endpoint_id, const v1::WebhookEvent& event,
                              std::string body, absl::Time now) {
  const std::string delivery_id = ids::NewId();
  storage::DeliveryRecord record;
  v1::WebhookDelivery* delivery = record.mutable_delivery();
  delivery->set_name(DeliveryName(user_id, endpoint_id, delivery_id));
  delivery->set_event_id(event.id());
  delivery->set_event_type(event.type());
  delivery->set_state(v1::WEBHOOK_DELIVERY_STATE_PENDING);
  *delivery->mutable_create_time() = auth::ProtoFromTime(now);
  *delivery->mutable_next_attempt_time() = delivery->create_time();
  record.set_body(std::move(body));
  const std::string key = DeliveryKey(user_id, endpoint_id, delivery_id);
  store::PutRecord(batch, db_.deliveries, key, record);
  outbox_->Stage(batch, key);
}

absl::StatusOr<std::optional<storage::DeliveryRecord>> WebhookDeliveries::Load(
    std::string_view key) const {
  return store::FindRecord<storage::DeliveryRecord>(db_.store(), db_.deliveries, Absl(key));
}

absl::StatusOr<v1::ListWebhookDeliveriesResponse> WebhookDeliveries::List(
    std::string_view user_id, std::string_view endpoint_id,
    const v1::ListWebhookDeliveriesRequest& request) const {
  absl::StatusOr<size_t> size = kit::PageSizeOf(request.page_size());
  if (!size.ok()) return size.status();
  if (absl::Status token = kit::ValidatePageToken(request.page_token()); !token.ok()) return token;
  const std::string prefix = absl::StrCat(Absl(user_id), Absl(endpoint_id));
  const std::string start = absl::StrCat(prefix, request.page_token());
  store::PrefixIterator it =
      db_.store().Scan(db_.deliveries, {.prefix = prefix,
                                        .start_after = request.page_token().empty()
                                                           ? std::nullopt
                                                           : std::optional<std::string_view>(start),
                                        .reverse = true,
                                        .limit = kScannedPerPageMax});
  v1::ListWebhookDeliveriesResponse response;
  std::string last_id;
  size_t scanned = 0;
  for (; it.Valid(); it.Next(), ++scanned) {
    if (static_cast<size_t>(response.webhook_deliveries_size()) == *size) {
      response.set_next_page_token(last_id);
      return response;
    }
    last_id = std::string(it.key().substr(prefix.size()));
    absl::StatusOr<storage::DeliveryRecord> record =
        store::ParseRecord<storage::DeliveryRecord>(db_.deliveries, it.value());
    if (!record.ok()) return record.status();
    if (request.state() != v1::WEBHOOK_DELIVERY_STATE_UNSPECIFIED &&
        record->delivery().state() != request.state()) {
      continue;
    }
    *response.add_webhook_deliveries() = record->delivery();
  }
  if (absl::Status status = it.status(); !status.ok()) return status;
  if (scanned == kScannedPerPageMax) response.set_next_page_token(last_id);
  return response;
}

absl::StatusOr<v1::WebhookDelivery> WebhookDeliveries::Redeliver(
    std::string_view user_id, std::string_view endpoint_id, std::string_view delivery_id,
    const v1::RedeliverWebhookRequest& request) {
  if (absl::Status key = CheckRequestId(request.request_id()); !key.ok()) return key;
  const std::string key = DeliveryKey(user_id, endpoint_id, delivery_id);
  {
    absl::MutexLock lock(&mu_);
    absl::StatusOr<std::optional<storage::DeliveryRecord>> record = Load(key);
    if (!record.ok()) return record.status();
    if (!record->has_value()) return absl::NotFoundError("no such webhook delivery");
    const RequestLog log(db_, user_id, RequestKind::kRedeliver, request);
    absl::StatusOr<std::optional<std::string>> earlier = log.Find();
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) return (*record)->delivery();
    v1::WebhookDelivery* delivery = (*record)->mutable_delivery();
    delivery->set_state(v1::WEBHOOK_DELIVERY_STATE_PENDING);
    store::WriteBatch batch;
    log.Stage(&batch, delivery->name());
    store::PutRecord(&batch, db_.deliveries, key, **record);
    // Through the outbox, as a new event: the deliverer attempts it at once.
    outbox_->Stage(&batch, key);
    if (absl::Status written = db_.store().Write(&batch, {.sync = true}); !written.ok()) {
      return written;
    }
    outbox_->Notify();
    return *delivery;
  }
}

absl::Status WebhookDeliveries::StageDropEndpoint(store::WriteBatch* batch,
                                                  std::string_view user_id,
                                                  std::string_view endpoint_id) const {
  const std::string prefix = absl::StrCat(Absl(user_id), Absl(endpoint_id));
  store::PrefixIterator it = db_.store().Scan(db_.deliveries, {.prefix = prefix});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<storage::DeliveryRecord> record =
        store::ParseRecord<storage::DeliveryRecord>(db_.deliveries, it.value());
    if (!record.ok()) return record.status();
    if (record->delivery().state() == v1::WEBHOOK_DELIVERY_STATE_PENDING) {
      batch->Delete(
          db_.retries,
          RetryKey(auth::TimeFromProto(record->delivery().next_attempt_time()), it.key()));
    }
    batch->Delete(db_.deliveries, it.key());
  }
  // Outbox entries of dropped deliveries find no record and are skipped.
  return it.status();
}

absl::StatusOr<std::vector<WebhookDeliveries::DueRetry>> WebhookDeliveries::DueRetries(
    absl::Time now, size_t limit) const {
  std::vector<DueRetry> due;
  const std::string now_key = store::EncodeTime(now);
  store::PrefixIterator it = db_.store().Scan(db_.retries, {.limit = limit});
  for (; it.Valid(); it.Next()) {
    if (it.key().substr(0, kTimeBytes) > std::string_view(now_key)) break;
    if (it.key().size() != kTimeBytes + kDeliveryKeyBytes) continue;
    due.push_back({.retry_key = std::string(it.key()),
                   .delivery_key = std::string(it.key().substr(kTimeBytes))});
  }
  if (absl::Status status = it.status(); !status.ok()) return status;
  return due;
}

absl::StatusOr<std::optional<WebhookDeliveries::Attempt>> WebhookDeliveries::Claim(
    std::string_view delivery_key, std::string_view retry_key, absl::Time now) {
  absl::MutexLock lock(&mu_);
  store::WriteBatch batch;
  if (!retry_key.empty()) batch.Delete(db_.retries, retry_key);
  absl::StatusOr<std::optional<storage::DeliveryRecord>> record = Load(delivery_key);
  if (!record.ok()) return record.status();
  std::optional<Attempt> attempt;
  if (record->has_value() && (*record)->delivery().state() == v1::WEBHOOK_DELIVERY_STATE_PENDING) {
    v1::WebhookDelivery* delivery = (*record)->mutable_delivery();
    // The retry this attempt replaces (a redelivery may come before it).
    if (delivery->attempt_count() > 0) {
      batch.Delete(db_.retries,
                   RetryKey(auth::TimeFromProto(delivery->next_attempt_time()), delivery_key));
    }
    delivery->set_attempt_count(delivery->attempt_count() + 1);
    *delivery->mutable_last_attempt_time() = auth::ProtoFromTime(now);
    const std::optional<absl::Time> next = NextAttemptTime(
        schedule_, auth::TimeFromProto(delivery->create_time()), delivery->attempt_count(), now);
    if (next.has_value()) {
      *delivery->mutable_next_attempt_time() = auth::ProtoFromTime(*next);
      batch.Put(db_.retries, RetryKey(*next, delivery_key), "");
    } else {
      delivery->clear_next_attempt_time();
    }
    store::PutRecord(&batch, db_.deliveries, Absl(delivery_key), **record);
    attempt =
        Attempt{.user_id = std::string(delivery_key.substr(0, ids::kIdLength)),
                .endpoint_id = std::string(delivery_key.substr(ids::kIdLength, ids::kIdLength)),
                .record = **record};
  }
  if (batch.count() > 0) {
    if (absl::Status written = db_.store().Write(&batch, {.sync = true}); !written.ok()) {
      return written;
    }
  }
  return attempt;
}

absl::Status WebhookDeliveries::Finish(std::string_view delivery_key, int http_status,
                                       std::string_view error, absl::Time now) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::optional<storage::DeliveryRecord>> record = Load(delivery_key);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return absl::OkStatus();  // The endpoint was deleted meanwhile.
  v1::WebhookDelivery* delivery = (*record)->mutable_delivery();
  delivery->set_last_http_status(http_status);
  delivery->set_last_error(std::string(error));
  store::WriteBatch batch;
  if (IsSuccess(http_status)) {
    if (delivery->has_next_attempt_time()) {
      batch.Delete(db_.retries,
                   RetryKey(auth::TimeFromProto(delivery->next_attempt_time()), delivery_key));
    }
    delivery->set_state(v1::WEBHOOK_DELIVERY_STATE_SUCCEEDED);
    delivery->clear_next_attempt_time();
    *delivery->mutable_succeed_time() = auth::ProtoFromTime(now);
  } else if (!delivery->has_next_attempt_time()) {
    delivery->set_state(v1::WEBHOOK_DELIVERY_STATE_FAILED);
  }
  store::PutRecord(&batch, db_.deliveries, Absl(delivery_key), **record);
  return db_.store().Write(&batch, {.sync = true});
}

}  // namespace bitcontent::pricing
