// bitcontent-pricing: wiring only. Pricing's records in one RocksDB under --data_dir
// (the paywall's families, paywall_db.h); access tokens verified with the keys accounts
// (--accounts_target) publishes; webhooks delivered by a background thread on the
// schedule of webhook_flags.h. PricingService, PricingInternalService and
// PricingAdminService answer UNIMPLEMENTED until the pricing core is built.
#include "absl/flags/flag.h"
#include "libs/kit/access_token_verifier.h"
#include "libs/kit/channel.h"
#include "libs/kit/flags.h"
#include "libs/kit/log.h"
#include "libs/kit/serve.h"
#include "libs/store/outbox.h"
#include "services/pricing/paywall_catalog.h"
#include "services/pricing/paywall_db.h"
#include "services/pricing/paywall_service.h"
#include "services/pricing/pricing_service.h"
#include "services/pricing/webhook_flags.h"
#include "services/pricing/webhook_listener.h"

int main(int argc, char** argv) {
  using namespace bitcontent;
  kit::InitService(argc, argv, "pricing");
  const auto fail = [](absl::string_view what, const absl::Status& status) {
    kit::Log(spdlog::level::err, what, {{"error", status.message()}});
    return 1;
  };
  absl::StatusOr<pricing::WebhookConfig> webhooks = pricing::WebhookConfigFromFlags();
  if (!webhooks.ok()) return fail("bad flag", webhooks.status());
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::Store::Open(
      {.path = absl::GetFlag(FLAGS_data_dir), .column_families = pricing::PaywallColumnFamilies()});
  if (!store.ok()) return fail("cannot open the pricing store", store.status());

  const std::string accounts_target = absl::GetFlag(FLAGS_accounts_target);
  const std::shared_ptr<grpc::Channel> accounts =
      accounts_target.empty() ? nullptr : kit::NewChannel(accounts_target);
  const kit::AccountsTokenVerifier tokens(accounts);
  const kit::AccessTokenVerifier& verifier = tokens.verifier();

  const pricing::PaywallDb paywall_db(store->get());
  store::Outbox webhook_outbox(**store, paywall_db.outbox);
  pricing::WebhookDeliveries deliveries(paywall_db, &webhook_outbox, webhooks->schedule);
  pricing::WebhookEndpoints endpoints(paywall_db, &deliveries);
  pricing::PaywallResources resources(paywall_db);
  // For the pricing core's purchase path: the catalog of paywall subjects and the
  // listener that stages payment.succeeded events with each purchase.
  const pricing::PaywallCatalog paywall_catalog(&resources);
  pricing::WebhookListener webhook_listener(&endpoints, &deliveries);
  (void)paywall_catalog;
  pricing::WebhookDeliverer deliverer(&deliveries, &endpoints, webhooks->deliverer);
  deliverer.Start();
  const pricing::PaywallCallerCheck callers(&verifier);

  pricing::PricingService pricing_service;
  pricing::PaywallService paywall_service({.resources = &resources,
                                           .endpoints = &endpoints,
                                           .deliveries = &deliveries,
                                           .callers = &callers});
  pricing::PricingInternalService pricing_internal_service;
  pricing::PricingAdminService pricing_admin_service;
  return kit::Serve({.name = "pricing",
                     .services = {&pricing_service, &paywall_service, &pricing_internal_service,
                                  &pricing_admin_service}});
}
