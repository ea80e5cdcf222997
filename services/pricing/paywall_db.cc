#include "services/pricing/paywall_db.h"

namespace bitcontent::pricing {

std::vector<std::string> PaywallColumnFamilies() {
  return {"paywall_resources",  "paywall_external_ids", "paywall_requests", "webhook_endpoints",
          "webhook_deliveries", "webhook_outbox",       "webhook_retries"};
}

PaywallDb::PaywallDb(store::Store* store)
    : resources(store->MustFamily("paywall_resources")),
      external_ids(store->MustFamily("paywall_external_ids")),
      requests(store->MustFamily("paywall_requests")),
      endpoints(store->MustFamily("webhook_endpoints")),
      deliveries(store->MustFamily("webhook_deliveries")),
      outbox(store->MustFamily("webhook_outbox")),
      retries(store->MustFamily("webhook_retries")),
      store_(store) {}

}  // namespace bitcontent::pricing
