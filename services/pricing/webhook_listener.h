// WebhookListener: the paywall's PurchaseListener (subjects.h). For each new purchase it
// stages, in the purchase's own batch, one payment.succeeded event for every ENABLED
// endpoint of the seller subscribed to it: a PENDING delivery and its outbox entry, so
// the event is durable exactly when the purchase is. After the commit it wakes the
// deliverer.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "services/pricing/subjects.h"
#include "services/pricing/webhook_deliveries.h"
#include "services/pricing/webhook_endpoints.h"

namespace bitcontent::pricing {

inline constexpr char kPaymentSucceeded[] = "payment.succeeded";

class WebhookListener final : public PurchaseListener {
 public:
  // Both must outlive this.
  WebhookListener(const WebhookEndpoints* endpoints, WebhookDeliveries* deliveries)
      : endpoints_(endpoints), deliveries_(deliveries) {}

  void StagePurchase(const v1::Purchase& purchase, const v1::Receipt& receipt,
                     const SubjectTerms& terms, store::WriteBatch* batch) override;
  void PurchaseCommitted() override;

 private:
  const WebhookEndpoints* const endpoints_;
  WebhookDeliveries* const deliveries_;
};

// The payment.succeeded event of a purchase, with a new id ("evt_" + 26 base32).
v1::WebhookEvent PaymentSucceededEvent(const v1::Purchase& purchase, const v1::Receipt& receipt,
                                       const SubjectTerms& terms, absl::Time now);

// The proto3 JSON of an event: the body every attempt POSTs.
std::string EventJson(const v1::WebhookEvent& event);

}  // namespace bitcontent::pricing
