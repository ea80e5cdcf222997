// PaywallFixture: the paywall's real parts (store, outbox, deliveries, endpoints,
// resources, listener, deliverer) over a RocksDB in a directory, as the pricing service
// wires them, so a test can close everything and open it again over the same directory
// (a restart), and purchases staged through the real listener as the purchase path does.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "bitcontent/pricing/v1/paywall_service.pb.h"
#include "libs/store/outbox.h"
#include "libs/store/store.h"
#include "services/pricing/backends.h"
#include "services/pricing/paywall_db.h"
#include "services/pricing/paywall_resources.h"
#include "services/pricing/webhook_deliverer.h"
#include "services/pricing/webhook_deliveries.h"
#include "services/pricing/webhook_endpoints.h"
#include "services/pricing/webhook_listener.h"

namespace bitcontent::pricing::testing {

// A schedule short enough for tests: 50 ms doubling up to 200 ms, for `window`.
RetrySchedule FastSchedule(absl::Duration window = absl::Seconds(30));

// Accounts as the paywall asks it (do the members a split names exist?): the members a
// test adds, and nobody else. API keys are not the paywall's business.
class KnownMembers final : public Members {
 public:
  void Add(const std::string& user_id) { ids_.insert(user_id); }
  absl::StatusOr<std::string> PublicKey(std::string_view user_id) override;
  absl::Status CheckPayable(const std::vector<std::string>&) override { return absl::OkStatus(); }
  absl::Status CheckPayableNow(const std::vector<std::string>&) override {
    return absl::OkStatus();
  }
  absl::Status ChargeApiKey(std::string_view, uint64_t, std::string_view) override;
  absl::Status RefundApiKey(std::string_view, uint64_t, std::string_view) override;

 private:
  std::set<std::string, std::less<>> ids_;
};

class PaywallFixture {
 public:
  // Opens the store in `dir`; starts the deliverer when `deliver`.
  PaywallFixture(const std::string& dir, RetrySchedule schedule, bool deliver = true);
  ~PaywallFixture();

  // A new enabled endpoint of `user_id` for payment.succeeded at `url`; REQUIREs success.
  v1::CreateWebhookEndpointResponse AddEndpoint(const std::string& user_id, const std::string& url);
  // Stages a purchase of a resource of `seller_id` through the listener in one batch,
  // commits it (sync, as the purchase path does) and wakes the deliverer. Returns its name.
  std::string Purchase(const std::string& seller_id, uint64_t amount_msat);
  // The endpoint's deliveries, newest first (at most 100).
  std::vector<v1::WebhookDelivery> Deliveries(const std::string& user_id,
                                              const std::string& endpoint_name,
                                              v1::WebhookDeliveryState state = {}) const;
  // Waits up to `timeout` until `done()`; false when it never was.
  static bool WaitFor(const std::function<bool()>& done, absl::Duration timeout);

  store::Store& store() { return *store_; }
  PaywallResources& resources() { return *resources_; }
  KnownMembers& members() { return members_; }
  WebhookEndpoints& endpoints() { return *endpoints_; }
  WebhookDeliveries& deliveries() { return *deliveries_; }

 private:
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<PaywallDb> db_;
  std::unique_ptr<store::Outbox> outbox_;
  std::unique_ptr<WebhookDeliveries> deliveries_;
  std::unique_ptr<WebhookEndpoints> endpoints_;
  std::unique_ptr<PaywallResources> resources_;
  std::unique_ptr<WebhookListener> listener_;
  std::unique_ptr<WebhookDeliverer> deliverer_;
  KnownMembers members_;
};

}  // namespace bitcontent::pricing::testing
