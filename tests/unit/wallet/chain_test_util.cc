#include "tests/unit/wallet/chain_test_util.h"

#include <utility>

#include "libs/ledger/results.h"

namespace bitcontent::wallet::testing {

ledger::Id LedgerCrediter::AccountOf(const std::string& user_id) {
  auto it = accounts_.find(user_id);
  if (it != accounts_.end()) return it->second;
  const ledger::Id id{0, 1000 + accounts_.size()};
  auto created = ledger_->CreateAccounts(
      std::vector<ledger::Account>{{.id = id,
                                    .ledger = kLedger,
                                    .code = kMemberWalletCode,
                                    .flags = ledger::kDebitsMustNotExceedCredits}});
  REQUIRE(created.ok());
  REQUIRE(ledger::Succeeded((*created)[0]));
  accounts_[user_id] = id;
  return id;
}

absl::StatusOr<ledger::Id> LedgerCrediter::Credit(std::string_view user_id, std::string_view txid,
                                                  uint32_t vout, uint64_t amount_msat) {
  ++calls_;
  if (!fail_.ok()) return fail_;
  const ledger::Id id = DepositTransferId(txid, vout);
  auto results = ledger_->CreateTransfers(
      std::vector<ledger::Transfer>{{.id = id,
                                     .debit_account_id = kChainDepositsAccount,
                                     .credit_account_id = AccountOf(std::string(user_id)),
                                     .amount_msat = amount_msat,
                                     .ledger = kLedger,
                                     .code = kTransferCodeDeposit}});
  if (!results.ok()) return results.status();
  if (!ledger::Succeeded((*results)[0])) {
    return absl::FailedPreconditionError(
        absl::StrCat("deposit transfer refused: ", std::string(ledger::ResultName((*results)[0]))));
  }
  return id;
}

ChainHarness::ChainHarness(uint32_t required_confirmations) {
  std::string pattern = (std::filesystem::temp_directory_path() / "chain_test_XXXXXX").string();
  REQUIRE(mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
  options.required_confirmations = required_confirmations;
  options.poll_interval = absl::ZeroDuration();
  rpc_options = {.url = server_.url(),
                 .user = kRpcUser,
                 .password = kRpcPassword,
                 .connect_timeout = absl::Seconds(2),
                 .request_timeout = absl::Seconds(5)};
  Open();
}

ChainHarness::~ChainHarness() {
  Close();
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void ChainHarness::Open() {
  std::vector<std::string> families = ledger::ColumnFamilies();
  for (std::string& family : ChainWatcherColumnFamilies()) families.push_back(std::move(family));
  auto store = store::Store::Open({.path = path_ + "/db", .column_families = families});
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  store_ = *std::move(store);
  auto index_store = ledger::OpenIndexStore(path_ + "/index");
  REQUIRE(index_store.ok());
  index_store_ = *std::move(index_store);
  auto ledger = ledger::Ledger::Open(store_.get(), index_store_.get(), {});
  INFO(ledger.status().ToString());
  REQUIRE(ledger.ok());
  ledger_ = *std::move(ledger);
  if (crediter_ == nullptr) {
    crediter_ = std::make_unique<LedgerCrediter>(ledger_.get());
    auto created = ledger_->CreateAccounts(std::vector<ledger::Account>{
        {.id = kChainDepositsAccount, .ledger = kLedger, .code = kChainDepositsCode}});
    REQUIRE(created.ok());
    REQUIRE(ledger::Succeeded((*created)[0]));
  } else {
    crediter_->SetLedger(ledger_.get());
  }
  watcher_ = std::make_unique<ChainWatcher>(options, std::make_unique<BitcoinRpc>(rpc_options),
                                            store_.get(), &directory_, crediter_.get());
  const absl::Status valid = watcher_->Validate();
  INFO(valid.ToString());
  REQUIRE(valid.ok());
}

void ChainHarness::Close() {
  watcher_.reset();
  ledger_.reset();
  index_store_.reset();
  store_.reset();
}

void ChainHarness::Restart() {
  Close();
  Open();
}

void ChainHarness::Poll() {
  const absl::Status polled = watcher_->PollOnce();
  INFO(polled.ToString());
  REQUIRE(polled.ok());
}

uint64_t ChainHarness::BalanceOf(const std::string& user_id) {
  const ledger::Id id = crediter_->AccountOf(user_id);
  auto found = ledger_->LookupAccounts(std::vector<ledger::Id>{id});
  REQUIRE(found.ok());
  REQUIRE((*found)[0].has_value());
  return (*found)[0]->credits_posted_msat - (*found)[0]->debits_posted_msat;
}

v1::Deposit ChainHarness::DepositOf(const std::string& user_id, const std::string& txid,
                                    uint32_t vout) {
  auto listed = watcher_->ListDeposits(user_id, 100, "");
  INFO(listed.status().ToString());
  REQUIRE(listed.ok());
  for (const v1::Deposit& deposit : listed->deposits()) {
    if (deposit.txid() == txid && deposit.vout() == vout) return deposit;
  }
  FAIL("deposit " << txid << ":" << vout << " is not listed for " << user_id);
  return {};
}

}  // namespace bitcontent::wallet::testing
