// bitcontent-pricing: wiring only. Pricing's records in one RocksDB under --data_dir
// (the paywall's families, paywall_db.h, and the core's, pricing_db.h) with pricing's own
// keys (pricing_keys.h); access tokens verified with the keys accounts (--accounts_target)
// publishes; metadata (--metadata_target) asked about nodes, the wallet (--wallet_target)
// moves the money; webhooks delivered by a background thread on the schedule of
// webhook_flags.h; purchases a crash left pending finished once at start.
#include <thread>

#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "libs/kit/access_token_verifier.h"
#include "libs/kit/channel.h"
#include "libs/kit/flags.h"
#include "libs/kit/log.h"
#include "libs/kit/periodic_task.h"
#include "libs/kit/serve.h"
#include "libs/store/outbox.h"
#include "services/pricing/expired_records.h"
#include "services/pricing/paywall_catalog.h"
#include "services/pricing/paywall_db.h"
#include "services/pricing/paywall_service.h"
#include "services/pricing/pricing_db.h"
#include "services/pricing/pricing_service.h"
#include "services/pricing/webhook_flags.h"
#include "services/pricing/webhook_listener.h"

namespace {

std::shared_ptr<grpc::Channel> ChannelOf(const std::string& target) {
  return target.empty() ? nullptr : bitcontent::kit::NewChannel(target);
}

}  // namespace

ABSL_FLAG(absl::Duration, expired_records_sweep_interval, absl::Hours(1),
          "How often records kept only for retries of quotes that have long expired (quote "
          "requests, purchase failures) are deleted; 0 never.");

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
      {.path = absl::GetFlag(FLAGS_data_dir), .column_families = pricing::PricingColumnFamilies()});
  if (!store.ok()) return fail("cannot open the pricing store", store.status());
  const pricing::PricingDb db(store->get());
  absl::StatusOr<std::unique_ptr<pricing::PricingKeys>> keys =
      pricing::PricingKeys::LoadOrCreate(db, absl::Now());
  if (!keys.ok()) return fail("cannot load pricing's keys", keys.status());
  absl::StatusOr<std::unique_ptr<pricing::PricingSettingsStore>> settings =
      pricing::PricingSettingsStore::Load(db);
  if (!settings.ok()) return fail("bad pricing settings", settings.status());

  const pricing::BackendChannels channels = {
      .metadata = ChannelOf(absl::GetFlag(FLAGS_metadata_target)),
      .wallet = ChannelOf(absl::GetFlag(FLAGS_wallet_target)),
      .accounts = ChannelOf(absl::GetFlag(FLAGS_accounts_target))};
  const kit::AccountsTokenVerifier tokens(channels.accounts);
  const kit::AccessTokenVerifier& verifier = tokens.verifier();

  const pricing::PaywallDb paywall_db(store->get());
  store::Outbox webhook_outbox(**store, paywall_db.outbox);
  pricing::WebhookDeliveries deliveries(paywall_db, &webhook_outbox, webhooks->schedule);
  pricing::WebhookEndpoints endpoints(paywall_db, &deliveries);
  pricing::PaywallResources resources(paywall_db);
  const pricing::PaywallCatalog paywall_catalog(&resources);
  pricing::WebhookListener webhook_listener(&endpoints, &deliveries);
  pricing::WebhookDeliverer deliverer(&deliveries, &endpoints, webhooks->deliverer);
  deliverer.Start();
  const pricing::PaywallCallerCheck paywall_callers(&verifier);

  pricing::Prices prices(db, keys->get(), settings->get());
  const pricing::Entitlements entitlements(db);
  const pricing::Earnings earnings(db);
  const pricing::Quotes quotes(db, keys->get(), settings->get(), &entitlements);
  pricing::Purchases purchases({.db = &db,
                                .keys = keys->get(),
                                .quotes = &quotes,
                                .entitlements = &entitlements,
                                .earnings = &earnings,
                                .listeners = {&webhook_listener}});
  pricing::WalletAccounts wallet_accounts;
  std::unique_ptr<pricing::TransferBatcher> transfer_batcher =
      channels.wallet == nullptr ? nullptr
                                 : std::make_unique<pricing::TransferBatcher>(
                                       channels.wallet, pricing::kLedgerCallTimeout);
  // Purchases a crash left between the ledger and pricing's record: finish them.
  std::thread recovery([&] {
    pricing::WalletLedger ledger(channels.wallet, nullptr, &wallet_accounts,
                                 transfer_batcher.get());
    pricing::AccountsMembers members(channels.accounts, nullptr);
    absl::StatusOr<size_t> recovered =
        purchases.Recover({.ledger = &ledger, .members = &members}, absl::Now());
    if (!recovered.ok()) {
      kit::Log(spdlog::level::warn, "pending purchases not all finished; a retry finishes them",
               {{"error", recovered.status().message()}});
    }
  });
  kit::PeriodicTask sweep(absl::GetFlag(FLAGS_expired_records_sweep_interval), [&db] {
    absl::StatusOr<size_t> swept = pricing::SweepExpiredRecords(db, absl::Now());
    if (!swept.ok()) {
      kit::Log(spdlog::level::warn, "expired records not swept",
               {{"error", swept.status().message()}});
    } else if (*swept > 0) {
      kit::Log(spdlog::level::info, "expired records swept", {{"records", std::to_string(*swept)}});
    }
  });
  sweep.Start();
  const pricing::PricingCallerCheck callers(&verifier);
  const pricing::PricingParts parts = {.prices = &prices,
                                       .quotes = &quotes,
                                       .purchases = &purchases,
                                       .entitlements = &entitlements,
                                       .earnings = &earnings,
                                       .keys = keys->get(),
                                       .settings = settings->get(),
                                       .paywall_catalog = &paywall_catalog,
                                       .callers = &callers,
                                       .channels = channels,
                                       .wallet_accounts = &wallet_accounts,
                                       .transfer_batcher = transfer_batcher.get()};
  pricing::PricingService pricing_service(parts);
  pricing::PaywallService paywall_service({.resources = &resources,
                                           .endpoints = &endpoints,
                                           .deliveries = &deliveries,
                                           .callers = &paywall_callers,
                                           .accounts = channels.accounts});
  pricing::PricingInternalService pricing_internal_service(parts);
  pricing::PricingAdminService pricing_admin_service(parts);
  const int code = kit::Serve({.name = "pricing",
                               .services = {&pricing_service, &paywall_service,
                                            &pricing_internal_service, &pricing_admin_service}});
  recovery.join();
  return code;
}
