// PricingFixture: the pricing core's real parts (store, keys, settings, prices, quotes,
// purchases, entitlements, earnings, the paywall's catalog and webhook listener) over a
// RocksDB in a directory, as the pricing service wires them, and a real wallet: the
// ledger on its own RocksDB behind the real WalletInternalService on a loopback port,
// reached through pricing's real gRPC client (WalletLedger). Metadata and accounts are
// answered by TestNodes and TestMembers, which keep what a test gives them.
#pragma once

#include <grpcpp/server.h>

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "libs/crypto/sealed_box.h"
#include "libs/ledger/ledger.h"
#include "libs/store/outbox.h"
#include "libs/store/store.h"
#include "services/pricing/backends_grpc.h"
#include "services/pricing/earnings.h"
#include "services/pricing/entitlements.h"
#include "services/pricing/node_catalog.h"
#include "services/pricing/paywall_catalog.h"
#include "services/pricing/paywall_db.h"
#include "services/pricing/prices.h"
#include "services/pricing/pricing_db.h"
#include "services/pricing/pricing_keys.h"
#include "services/pricing/purchases.h"
#include "services/pricing/quotes.h"
#include "services/pricing/settings.h"
#include "services/pricing/webhook_listener.h"
#include "services/wallet/member_wallets.h"
#include "services/wallet/wallet_db.h"
#include "services/wallet/wallet_service.h"

namespace bitcontent::pricing::testing {

// REQUIREs `result` ok and returns its value.
template <typename T>
T Ok(absl::StatusOr<T> result) {
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  return *std::move(result);
}

// Metadata's node facts, as a test sets them; remembers the price flags pricing sets.
class TestNodes final : public NodeDirectory {
 public:
  void Add(const std::string& node, NodeFacts facts) { nodes_[node] = std::move(facts); }
  // `node` is shared with the member `user_id` (as when a folder above it is).
  void Share(const std::string& node, const std::string& user_id) {
    shares_.emplace(node, user_id);
  }
  absl::StatusOr<NodeFacts> Lookup(std::string_view node) override;
  absl::Status SetPriced(std::string_view node, bool priced) override;
  absl::StatusOr<bool> SharedWith(std::string_view node, std::string_view user_id) override;

  std::map<std::string, bool> priced;

 private:
  std::map<std::string, NodeFacts> nodes_;
  std::set<std::pair<std::string, std::string>> shares_;
};

// Accounts' members (X25519 key pairs) and API key spend limits, as a test sets them.
class TestMembers final : public Members {
 public:
  crypto::BoxKeyPair Add(const std::string& user_id);
  void SetSpendLimit(const std::string& api_key, uint64_t limit_msat) {
    limits_[api_key] = limit_msat;
  }
  uint64_t Spent(const std::string& api_key) const;

  absl::StatusOr<std::string> PublicKey(std::string_view user_id) override;
  // OK unless one of them was disabled with Disable.
  absl::Status CheckPayable(const std::vector<std::string>& user_names) override;
  absl::Status CheckPayableNow(const std::vector<std::string>& user_names) override {
    return CheckPayable(user_names);
  }
  void Disable(const std::string& user_id) { disabled_.insert("users/" + user_id); }
  void Enable(const std::string& user_id) { disabled_.erase("users/" + user_id); }
  absl::Status ChargeApiKey(std::string_view api_key, uint64_t amount_msat,
                            std::string_view request_id) override;
  absl::Status RefundApiKey(std::string_view api_key, uint64_t amount_msat,
                            std::string_view request_id) override;

 private:
  std::map<std::string, crypto::BoxKeyPair> keys_;
  std::set<std::string> disabled_;
  std::map<std::string, uint64_t> limits_;
  // api key -> request id -> amount charged.
  std::map<std::string, std::map<std::string, uint64_t>> charges_;
};

// A wallet on its own store: ledger, member wallets and the internal gRPC service.
class TestWallet {
 public:
  explicit TestWallet(const std::string& dir);
  ~TestWallet();

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // Credits `amount_msat` to the member's wallet as a deposit would.
  void Fund(const std::string& user_id, uint64_t amount_msat);
  // The member's posted balance; 0 for a wallet never made.
  uint64_t Balance(const std::string& user_id) const;
  uint64_t PlatformFees() const;
  ledger::Ledger& ledger() { return *ledger_; }

 private:
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Store> index_store_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<wallet::WalletDb> db_;
  std::unique_ptr<wallet::MemberWallets> wallets_;
  std::unique_ptr<wallet::WalletInternalService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

class PricingFixture {
 public:
  // Opens pricing's store in dir/pricing and the wallet's in dir/wallet.
  explicit PricingFixture(const std::string& dir);
  ~PricingFixture();

  // A new active file of `owner_id` (uploaded by `uploader_id`, or the owner); its name.
  std::string NewFile(const std::string& owner_id, const std::string& uploader_id = "");
  // A new owner's new file on sale at `price_msat` (all to the owner), and a new buyer
  // whose wallet holds `buyer_msat`.
  struct Sale {
    std::string owner;
    std::string buyer;
    std::string node;
  };
  Sale NewSale(uint64_t price_msat, uint64_t buyer_msat);
  // Puts `node` on sale at `msat` with `split`, escrowing `file_key`; REQUIREs success.
  v1::Price Sell(const std::string& owner_id, const std::string& node, uint64_t msat,
                 const v1::SplitRule& split = {},
                 const std::string& file_key = std::string(32, 'k'));
  // Quotes `subject` for `buyer_id` (with `request_id` when given); Quote REQUIREs success.
  absl::StatusOr<v1::Quote> TryQuote(const std::string& buyer_id, const std::string& subject,
                                     const std::string& request_id = "");
  v1::Quote Quote(const std::string& buyer_id, const std::string& subject) {
    return Ok(TryQuote(buyer_id, subject));
  }
  // Pays `quote_token` as `buyer_id` (with `api_key` when given).
  absl::StatusOr<v1::Purchase> Pay(const std::string& buyer_id, const std::string& quote_token,
                                   uint64_t max_amount_msat = 0, const std::string& api_key = "");
  // The backends a request of the service would use.
  PurchaseBackends backends();

  PricingDb& db() { return *db_; }
  PricingKeys& keys() { return *keys_; }
  PricingSettingsStore& settings() { return *settings_; }
  Prices& prices() { return *prices_; }
  Entitlements& entitlements() { return *entitlements_; }
  Earnings& earnings() { return *earnings_; }
  Quotes& quotes() { return *quotes_; }
  Purchases& purchases() { return *purchases_; }
  PaywallResources& resources() { return *resources_; }
  const PaywallCatalog& paywall_catalog() { return *paywall_catalog_; }
  WalletAccounts& wallet_accounts() { return wallet_accounts_; }
  TransferBatcher& transfer_batcher() { return *transfer_batcher_; }
  WebhookEndpoints& endpoints() { return *endpoints_; }
  WebhookDeliveries& deliveries() { return *deliveries_; }
  TestNodes& nodes() { return nodes_; }
  TestMembers& members() { return members_; }
  TestWallet& wallet() { return *wallet_; }
  WalletLedger& ledger() { return *ledger_; }

 private:
  std::unique_ptr<TestWallet> wallet_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<PricingDb> db_;
  std::unique_ptr<PaywallDb> paywall_db_;
  std::unique_ptr<store::Outbox> outbox_;
  std::unique_ptr<WebhookDeliveries> deliveries_;
  std::unique_ptr<WebhookEndpoints> endpoints_;
  std::unique_ptr<PaywallResources> resources_;
  std::unique_ptr<PaywallCatalog> paywall_catalog_;
  std::unique_ptr<WebhookListener> listener_;
  std::unique_ptr<PricingKeys> keys_;
  std::unique_ptr<PricingSettingsStore> settings_;
  std::unique_ptr<Prices> prices_;
  std::unique_ptr<Entitlements> entitlements_;
  std::unique_ptr<Earnings> earnings_;
  std::unique_ptr<Quotes> quotes_;
  std::unique_ptr<Purchases> purchases_;
  TestNodes nodes_;
  TestMembers members_;
  WalletAccounts wallet_accounts_;
  std::unique_ptr<TransferBatcher> transfer_batcher_;
  std::unique_ptr<WalletLedger> ledger_;
  std::unique_ptr<NodeCatalog> node_catalog_;
  std::unique_ptr<Catalogs> catalogs_;
};

}  // namespace bitcontent::pricing::testing
