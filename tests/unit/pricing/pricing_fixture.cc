#include "tests/unit/pricing/pricing_fixture.h"

#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/crypto/random.h"
#include "libs/ids/ids.h"
#include "libs/kit/channel.h"
#include "libs/kit/error_details.h"
#include "services/wallet/wallet_ids.h"

namespace bitcontent::pricing::testing {

absl::StatusOr<NodeFacts> TestNodes::Lookup(std::string_view node) {
  auto it = nodes_.find(std::string(node));
  if (it == nodes_.end()) return absl::NotFoundError(absl::StrCat("no node ", std::string(node)));
  return it->second;
}

absl::Status TestNodes::SetPriced(std::string_view node, bool is_priced) {
  priced[std::string(node)] = is_priced;
  return absl::OkStatus();
}

absl::StatusOr<bool> TestNodes::SharedWith(std::string_view node, std::string_view user_id) {
  return shares_.contains({std::string(node), std::string(user_id)});
}

crypto::BoxKeyPair TestMembers::Add(const std::string& user_id) {
  return keys_[user_id] = crypto::NewBoxKeyPair();
}

uint64_t TestMembers::Spent(const std::string& api_key) const {
  uint64_t spent = 0;
  auto it = charges_.find(api_key);
  if (it == charges_.end()) return 0;
  for (const auto& [request, amount] : it->second) spent += amount;
  return spent;
}

absl::StatusOr<std::string> TestMembers::PublicKey(std::string_view user_id) {
  auto it = keys_.find(std::string(user_id));
  if (it == keys_.end()) return absl::NotFoundError("no such member");
  return it->second.public_key;
}

absl::Status TestMembers::CheckPayable(const std::vector<std::string>& user_names) {
  for (const std::string& name : user_names) {
    if (disabled_.contains(name)) return absl::FailedPreconditionError(name + " is disabled");
  }
  return absl::OkStatus();
}

absl::Status TestMembers::ChargeApiKey(std::string_view api_key, uint64_t amount_msat,
                                       std::string_view request_id) {
  auto& charges = charges_[std::string(api_key)];
  if (charges.count(std::string(request_id)) > 0) return absl::OkStatus();
  if (Spent(std::string(api_key)) + amount_msat > limits_[std::string(api_key)]) {
    return kit::WithReason(absl::PermissionDeniedError("spend limit exceeded"),
                           common::v1::ERROR_REASON_SPEND_LIMIT_EXCEEDED);
  }
  charges[std::string(request_id)] = amount_msat;
  return absl::OkStatus();
}

absl::Status TestMembers::RefundApiKey(std::string_view api_key, uint64_t /*amount_msat*/,
                                       std::string_view request_id) {
  charges_[std::string(api_key)].erase(std::string(request_id));
  return absl::OkStatus();
}

TestWallet::TestWallet(const std::string& dir) {
  store_ = Ok(wallet::WalletDb::OpenStore(dir));
  index_store_ = Ok(wallet::WalletDb::OpenIndexStore(dir));
  ledger_ = Ok(ledger::Ledger::Open(store_.get(), index_store_.get(), {}));
  db_ = std::make_unique<wallet::WalletDb>(store_.get());
  wallets_ = std::make_unique<wallet::MemberWallets>(*db_, ledger_.get());
  REQUIRE(wallets_->CreateSystemAccounts().ok());
  service_ = std::make_unique<wallet::WalletInternalService>(
      wallet::WalletParts{.ledger = ledger_.get(), .wallets = wallets_.get()});
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service_.get());
  server_ = builder.BuildAndStart();
  REQUIRE(server_ != nullptr);
  channel_ = kit::NewChannel(absl::StrCat("127.0.0.1:", port));
}

TestWallet::~TestWallet() { server_->Shutdown(); }

void TestWallet::Fund(const std::string& user_id, uint64_t amount_msat) {
  REQUIRE(wallets_->Ensure(user_id).ok());
  const ledger::Transfer deposit = {
      .id = ledger::IdFromBytes(crypto::RandomBytes(16)),
      .debit_account_id = wallet::SystemAccountId(wallet::v1::ACCOUNT_CODE_CHAIN_DEPOSITS),
      .credit_account_id = wallet::MemberAccountId(user_id),
      .amount_msat = amount_msat,
      .ledger = wallet::kBitcoinLedger,
      .code = wallet::v1::TRANSFER_CODE_DEPOSIT};
  std::vector<ledger::CreateTransferResult> results = Ok(ledger_->CreateTransfers({&deposit, 1}));
  REQUIRE(results[0] == ledger::CreateTransferResult::kOk);
}

uint64_t TestWallet::Balance(const std::string& user_id) const {
  const ledger::Id id = wallet::MemberAccountId(user_id);
  std::vector<std::optional<ledger::Account>> found = Ok(ledger_->LookupAccounts({&id, 1}));
  if (!found[0].has_value()) return 0;
  return found[0]->credits_posted_msat - found[0]->debits_posted_msat;
}

uint64_t TestWallet::PlatformFees() const {
  const ledger::Id id = wallet::SystemAccountId(wallet::v1::ACCOUNT_CODE_PLATFORM_FEES);
  std::vector<std::optional<ledger::Account>> found = Ok(ledger_->LookupAccounts({&id, 1}));
  return found[0]->credits_posted_msat - found[0]->debits_posted_msat;
}

PricingFixture::PricingFixture(const std::string& dir) {
  wallet_ = std::make_unique<TestWallet>(dir + "/wallet");
  store_ = Ok(
      store::Store::Open({.path = dir + "/pricing", .column_families = PricingColumnFamilies()}));
  db_ = std::make_unique<PricingDb>(store_.get());
  paywall_db_ = std::make_unique<PaywallDb>(store_.get());
  outbox_ = std::make_unique<store::Outbox>(*store_, paywall_db_->outbox);
  deliveries_ = std::make_unique<WebhookDeliveries>(*paywall_db_, outbox_.get(), RetrySchedule{});
  endpoints_ = std::make_unique<WebhookEndpoints>(*paywall_db_, deliveries_.get());
  resources_ = std::make_unique<PaywallResources>(*paywall_db_);
  paywall_catalog_ = std::make_unique<PaywallCatalog>(resources_.get());
  listener_ = std::make_unique<WebhookListener>(endpoints_.get(), deliveries_.get());
  keys_ = Ok(PricingKeys::LoadOrCreate(*db_, absl::Now()));
  settings_ = Ok(PricingSettingsStore::Load(*db_));
  prices_ = std::make_unique<Prices>(*db_, keys_.get(), settings_.get());
  entitlements_ = std::make_unique<Entitlements>(*db_);
  earnings_ = std::make_unique<Earnings>(*db_);
  quotes_ = std::make_unique<Quotes>(*db_, keys_.get(), settings_.get(), entitlements_.get());
  purchases_ = std::make_unique<Purchases>(PurchaseParts{.db = db_.get(),
                                                         .keys = keys_.get(),
                                                         .quotes = quotes_.get(),
                                                         .entitlements = entitlements_.get(),
                                                         .earnings = earnings_.get(),
                                                         .listeners = {listener_.get()}});
  transfer_batcher_ = std::make_unique<TransferBatcher>(wallet_->channel(), kLedgerCallTimeout);
  ledger_ = std::make_unique<WalletLedger>(wallet_->channel(), nullptr, &wallet_accounts_,
                                           transfer_batcher_.get());
  node_catalog_ = std::make_unique<NodeCatalog>(prices_.get(), &nodes_);
  catalogs_ = std::make_unique<Catalogs>(node_catalog_.get(), paywall_catalog_.get());
}

PricingFixture::~PricingFixture() = default;

std::string PricingFixture::NewFile(const std::string& owner_id, const std::string& uploader_id) {
  const std::string node = absl::StrCat("nodes/", ids::NewId());
  nodes_.Add(node, {.owner = "users/" + owner_id,
                    .uploader = "users/" + (uploader_id.empty() ? owner_id : uploader_id),
                    .file = true,
                    .active = true});
  return node;
}

v1::Price PricingFixture::Sell(const std::string& owner_id, const std::string& node, uint64_t msat,
                               const v1::SplitRule& split, const std::string& file_key) {
  v1::SetPriceRequest request;
  request.mutable_price()->set_name(node + "/price");
  request.mutable_price()->set_download_price_msat(msat);
  *request.mutable_price()->mutable_split() = split;
  request.mutable_price()->set_public_title("A song");
  request.set_sealed_key(crypto::SealTo(keys_->escrow().public_key, file_key));
  return Ok(prices_->Set(owner_id, request, &nodes_, &members_, absl::Now()));
}

PricingFixture::Sale PricingFixture::NewSale(uint64_t price_msat, uint64_t buyer_msat) {
  Sale sale{.owner = ids::NewId(), .buyer = ids::NewId(), .node = {}};
  sale.node = NewFile(sale.owner);
  Sell(sale.owner, sale.node, price_msat);
  wallet().Fund(sale.buyer, buyer_msat);
  return sale;
}

absl::StatusOr<v1::Quote> PricingFixture::TryQuote(const std::string& buyer_id,
                                                   const std::string& subject,
                                                   const std::string& request_id) {
  v1::CreateQuoteRequest request;
  request.set_subject(subject);
  request.set_request_id(request_id);
  return quotes_->Create(buyer_id, request, *catalogs_, absl::Now());
}

absl::StatusOr<v1::Purchase> PricingFixture::Pay(const std::string& buyer_id,
                                                 const std::string& quote_token,
                                                 uint64_t max_amount_msat,
                                                 const std::string& api_key) {
  return purchases_->Create({.buyer_id = buyer_id,
                             .api_key = api_key,
                             .quote_token = quote_token,
                             .max_amount_msat = max_amount_msat},
                            backends(), absl::Now());
}

PurchaseBackends PricingFixture::backends() {
  return {.catalog = catalogs_.get(), .ledger = ledger_.get(), .members = &members_};
}

}  // namespace bitcontent::pricing::testing
