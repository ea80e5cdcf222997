#include "services/pricing/webhook_listener.h"

#include <google/protobuf/util/json_util.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/log.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::pricing {

v1::WebhookEvent PaymentSucceededEvent(const v1::Purchase& purchase, const v1::Receipt& receipt,
                                       const SubjectTerms& terms, absl::Time now) {
  v1::WebhookEvent event;
  event.set_id(absl::StrCat("evt_", ids::NewId()));
  event.set_type(kPaymentSucceeded);
  *event.mutable_create_time() = auth::ProtoFromTime(now);
  v1::PaymentSucceeded* data = event.mutable_payment_succeeded();
  data->set_purchase(purchase.name());
  data->set_subject(purchase.subject());
  data->set_external_id(terms.external_id);
  data->set_amount_msat(purchase.amount_msat());
  data->set_buyer_ref(receipt.buyer_ref());
  data->set_receipt_token(purchase.receipt_token());
  return event;
}

std::string EventJson(const v1::WebhookEvent& event) {
  std::string json;
  // An event is built here from valid fields; printing it cannot fail but on a bug.
  if (!google::protobuf::util::MessageToJsonString(event, &json).ok()) std::abort();
  return json;
}

void WebhookListener::StagePurchase(const v1::Purchase& purchase, const v1::Receipt& receipt,
                                    const SubjectTerms& terms, store::WriteBatch* batch) {
  const std::string seller_id(kit::IdOfName(terms.seller));
  absl::StatusOr<std::vector<v1::WebhookEndpoint>> endpoints =
      endpoints_->Subscribed(seller_id, v1::WEBHOOK_EVENT_TYPE_PAYMENT_SUCCEEDED);
  if (!endpoints.ok()) {
    // The purchase must not commit without its events: a batch in error is refused.
    batch->Fail(endpoints.status());
    return;
  }
  if (endpoints->empty()) return;
  const absl::Time now = absl::Now();
  const v1::WebhookEvent event = PaymentSucceededEvent(purchase, receipt, terms, now);
  const std::string body = EventJson(event);
  for (const v1::WebhookEndpoint& endpoint : *endpoints) {
    deliveries_->Stage(batch, seller_id, std::string(kit::IdOfName(endpoint.name())), event, body,
                       now);
  }
}

void WebhookListener::PurchaseCommitted() { deliveries_->outbox()->Notify(); }

}  // namespace bitcontent::pricing
