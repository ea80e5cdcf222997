#include "services/pricing/pricing_db.h"

#include "services/pricing/paywall_db.h"

namespace bitcontent::pricing {
namespace {

constexpr const char* kCoreFamilies[] = {
    "prices",         "quote_keys",        "receipt_keys", "escrow_keys",       "pricing_secrets",
    "quote_requests", "pending_purchases", "purchases",    "purchase_failures", "buyer_purchases",
    "entitlements",   "entitlement_ids",   "earnings",     "pricing_settings",  "purchase_keys"};

}  // namespace

std::vector<std::string> PricingColumnFamilies() {
  std::vector<std::string> families = PaywallColumnFamilies();
  families.insert(families.end(), std::begin(kCoreFamilies), std::end(kCoreFamilies));
  return families;
}

PricingDb::PricingDb(store::Store* store)
    : prices(store->MustFamily("prices")),
      quote_keys(store->MustFamily("quote_keys")),
      receipt_keys(store->MustFamily("receipt_keys")),
      escrow_keys(store->MustFamily("escrow_keys")),
      secrets(store->MustFamily("pricing_secrets")),
      quote_requests(store->MustFamily("quote_requests")),
      purchase_keys(store->MustFamily("purchase_keys")),
      pending_purchases(store->MustFamily("pending_purchases")),
      purchases(store->MustFamily("purchases")),
      purchase_failures(store->MustFamily("purchase_failures")),
      buyer_purchases(store->MustFamily("buyer_purchases")),
      entitlements(store->MustFamily("entitlements")),
      entitlement_ids(store->MustFamily("entitlement_ids")),
      earnings(store->MustFamily("earnings")),
      settings(store->MustFamily("pricing_settings")),
      store_(store) {}

}  // namespace bitcontent::pricing
