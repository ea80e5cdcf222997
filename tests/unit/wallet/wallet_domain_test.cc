// The wallet's domain classes over a real ledger on a real RocksDB in a temporary
// directory: what payments and payouts refuse and how they answer a repeat, the record
// of the Bitcoin network a store belongs to, the checks of text shown to other people,
// and the figures they report to the metrics.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/bitcoin/segwit_address.h"
#include "libs/kit/error_details.h"
#include "libs/kit/shown_text.h"
#include "libs/ledger/ledger.h"
#include "libs/metrics/registry.h"
#include "services/wallet/member_wallets.h"
#include "services/wallet/network_record.h"
#include "services/wallet/payments.h"
#include "services/wallet/payouts.h"
#include "services/wallet/records.pb.h"
#include "services/wallet/transfer_notes.h"
#include "services/wallet/transfer_outcome.h"
#include "services/wallet/wallet_db.h"
#include "services/wallet/wallet_ids.h"
#include "services/wallet/wallet_metrics.h"

namespace bitcontent::wallet {
namespace {

constexpr char kAda[] = "01JADA0000000000000000000A";
constexpr char kBob[] = "01JB0B0000000000000000000B";
constexpr char kOperator[] = "01J0PS0000000000000000000C";
// An approval's check of the member, for tests where every member is active.
const Payouts::PayeeCheck kAnyPayee = [](std::string_view) { return absl::OkStatus(); };

std::string Address(bitcoin::Network network) {
  const char* hrp = network == bitcoin::Network::kRegtest ? "bcrt" : "tb";
  return *bitcoin::EncodeSegwitAddress(hrp, {.version = 0, .program = std::string(20, '\x07')});
}

// A wallet's store in a fresh directory, reopenable as after a restart.
class WalletStore {
 public:
  WalletStore() {
    char pattern[] = "/tmp/wallet-domain-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    dir_ = pattern;
    Open();
  }
  ~WalletStore() {
    Close();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  void Open(ledger::LedgerOptions options = {}) {
    absl::StatusOr<std::unique_ptr<store::Store>> store = WalletDb::OpenStore(dir_);
    REQUIRE(store.ok());
    store_ = *std::move(store);
    absl::StatusOr<std::unique_ptr<store::Store>> index_store = WalletDb::OpenIndexStore(dir_);
    REQUIRE(index_store.ok());
    index_store_ = *std::move(index_store);
    db_ = std::make_unique<WalletDb>(store_.get());
    absl::StatusOr<std::unique_ptr<ledger::Ledger>> ledger =
        ledger::Ledger::Open(store_.get(), index_store_.get(), std::move(options));
    REQUIRE(ledger.ok());
    ledger_ = *std::move(ledger);
    notes_ = std::make_unique<TransferNotes>(*db_);
    wallets_ = std::make_unique<MemberWallets>(*db_, ledger_.get());
    REQUIRE(wallets_->CreateSystemAccounts().ok());
  }
  void Close() {
    wallets_.reset();
    notes_.reset();
    ledger_.reset();
    db_.reset();
    index_store_.reset();
    store_.reset();
  }

  // Credits `amount_msat` to the member's wallet (made when missing).
  void Fund(const std::string& user_id, uint64_t amount_msat) {
    REQUIRE(wallets_->Ensure(user_id).ok());
    const ledger::Transfer transfer = {
        .id = PaymentTransferId("funding", user_id),
        .debit_account_id = SystemAccountId(v1::ACCOUNT_CODE_OPERATOR_ADJUSTMENTS),
        .credit_account_id = MemberAccountId(user_id),
        .amount_msat = amount_msat,
        .ledger = kBitcoinLedger,
        .code = v1::TRANSFER_CODE_ADJUSTMENT};
    REQUIRE(Submit(ledger_.get(), {&transfer, 1}).ok());
  }

  uint64_t AvailableMsat(const std::string& user_id) {
    absl::StatusOr<ledger::Account> account = wallets_->Ensure(user_id);
    REQUIRE(account.ok());
    return MemberWallets::View(user_id, *account, 0).available_msat();
  }

  const WalletDb& db() const { return *db_; }
  ledger::Ledger* ledger() { return ledger_.get(); }
  TransferNotes* notes() { return notes_.get(); }
  MemberWallets* wallets() { return wallets_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Store> index_store_;
  std::unique_ptr<WalletDb> db_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<TransferNotes> notes_;
  std::unique_ptr<MemberWallets> wallets_;
};

std::string ReasonOf(const absl::Status& status) {
  return common::v1::ErrorReason_Name(kit::DetailsOf(status).reason());
}

TEST_CASE("shown text is one line of UTF-8 without control or bidirectional characters",
          "[wallet]") {
  CHECK(kit::CheckShownText("for the film 🎬, merci", "memo", 280).ok());
  CHECK(kit::CheckShownText("", "memo", 280).ok());
  for (const std::string& bad :
       {std::string("line1\nline2"), std::string("red\x1b[31m"), std::string("nul\0byte", 8),
        std::string("tab\there"), std::string("del\x7f"), std::string("c1 \xc2\x9b"),
        std::string("rtl \xe2\x80\xae"), std::string("line\xe2\x80\xa8separator")}) {
    const absl::Status refused = kit::CheckShownText(bad, "memo", 280);
    INFO(bad);
    CHECK(refused.code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(refused.message()),
               Catch::StartsWith("memo: must be one line of plain text: character ") &&
                   Catch::Contains("control characters"));
    CHECK(kit::DetailsOf(refused).field_violations(0).field() == "memo");
  }
  CHECK_THAT(std::string(kit::CheckShownText("ab\ncd", "memo", 280).message()),
             Catch::Contains("character 3 is U+000A"));
  CHECK_THAT(std::string(kit::CheckShownText("\xff", "memo", 280).message()),
             Catch::Contains("UTF-8"));
  CHECK_THAT(std::string(kit::CheckShownText("\xc0\x8a", "memo", 280).message()),  // overlong '\n'
             Catch::Contains("UTF-8"));
  CHECK_THAT(std::string(kit::CheckShownText("ééé", "memo", 2).message()),
             Catch::Contains("at most 2 characters, not 3"));
}

TEST_CASE(
    "payments refuse control characters and call amounts no wallet holds insufficient "
    "funds",
    "[wallet]") {
  WalletStore wallet;
  wallet.Fund(kAda, 1'000'000);
  REQUIRE(wallet.wallets()->Ensure(kBob).ok());
  Payments payments(wallet.ledger(), wallet.wallets(), wallet.notes());
  const auto pay = [&](uint64_t amount_msat, std::string_view memo, std::string_view key) {
    return payments.Pay({.payer_user_id = kAda,
                         .payee_user_id = kBob,
                         .amount_msat = amount_msat,
                         .memo = memo,
                         .request_id = key});
  };
  CHECK(pay(1, "line1\nline2\x1b[31mRED", "memo-1").status().code() ==
        absl::StatusCode::kInvalidArgument);
  for (const uint64_t huge : {uint64_t{18446744073709551615u}, uint64_t{18446744073709551000u},
                              uint64_t{18446744073709551615u} - 999'999}) {
    const absl::Status refused = pay(huge, "", absl::StrCat("huge-", huge)).status();
    INFO(refused.ToString());
    CHECK(refused.code() == absl::StatusCode::kFailedPrecondition);
    CHECK(ReasonOf(refused) == "ERROR_REASON_INSUFFICIENT_FUNDS");
    CHECK_THAT(std::string(refused.message()), !Catch::Contains("OVERFLOWS"));
  }
  CHECK(wallet.AvailableMsat(kAda) == 1'000'000);
  // A key is 1 to 128 visible ASCII characters: the message says which.
  const absl::Status spaced = pay(1, "", "has space").status();
  CHECK_THAT(std::string(spaced.message()),
             Catch::Contains("visible ASCII") && Catch::Contains("no spaces"));
  CHECK(pay(250'000, "for the film", "pay-1").ok());
  CHECK(wallet.AvailableMsat(kAda) == 750'000);
}

// Payouts over `wallet` on `network`, counting what waits for an operator.
struct CountedPayouts {
  CountedPayouts(WalletStore& wallet, bitcoin::Network network)
      : payouts(wallet.db(), wallet.ledger(), wallet.notes(),
                {.network = network,
                 .min_msat = 1000,
                 .on_pending_change = [this](int64_t count, int64_t msat) {
                   pending_count += count;
                   pending_msat += msat;
                 }}) {}
  int64_t pending_count = 0;
  int64_t pending_msat = 0;
  Payouts payouts;
};

TEST_CASE(
    "payout decisions: the same again answers, another is refused, members keep to their "
    "own",
    "[wallet]") {
  WalletStore wallet;
  wallet.Fund(kAda, 1'000'000);
  CountedPayouts counted(wallet, bitcoin::Network::kRegtest);
  Payouts& payouts = counted.payouts;
  const auto request = [&](std::string_view key, uint64_t amount_msat) {
    absl::StatusOr<v1::Payout> payout =
        payouts.Request({.user_id = kAda,
                         .address = Address(bitcoin::Network::kRegtest),
                         .amount_msat = amount_msat,
                         .request_id = key},
                        absl::Now());
    REQUIRE(payout.ok());
    return payout->name();
  };
  const std::string first = request("p-1", 100'000);
  const std::string second = request("p-2", 50'000);
  request("p-2", 50'000);  // a retry holds nothing more
  CHECK(counted.pending_count == 2);
  CHECK(counted.pending_msat == 150'000);
  absl::StatusOr<PendingPayouts> pending = payouts.Pending();
  REQUIRE(pending.ok());
  CHECK(pending->count == 2);
  CHECK(pending->msat == 150'000);

  REQUIRE(payouts.Reject(first, "not today", kOperator, absl::Now()).ok());
  absl::StatusOr<v1::Payout> again = payouts.Reject(first, "not today", kOperator, absl::Now());
  REQUIRE(again.ok());
  CHECK(again->reject_reason() == "not today");
  const absl::Status other = payouts.Reject(first, "never", kOperator, absl::Now()).status();
  CHECK(other.code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(other.message()),
             Catch::Contains("already decided") && Catch::Contains("\"not today\""));
  CHECK(payouts.Reject(second, "bad\x1b[2J", kOperator, absl::Now()).status().code() ==
        absl::StatusCode::kInvalidArgument);

  // Another member's payout is refused as their wallet is, whether it exists or not.
  const std::string as_bob =
      absl::StrCat("users/", kAda, "/wallet/payouts/", second.substr(second.rfind('/') + 1));
  CHECK(payouts.Cancel(kBob, as_bob, absl::Now()).status().code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(payouts
            .Cancel(kBob, absl::StrCat("users/", kAda, "/wallet/payouts/", std::string(32, 'f')),
                    absl::Now())
            .status()
            .code() == absl::StatusCode::kPermissionDenied);
  CHECK(payouts
            .Cancel(kAda, absl::StrCat("users/", kAda, "/wallet/payouts/", std::string(32, 'f')),
                    absl::Now())
            .status()
            .code() == absl::StatusCode::kNotFound);

  // An operator names a payout by its id under any member. The member is asked about
  // first (the service asks accounts whether they are active): a refusal leaves the
  // payout waiting.
  const std::string any_member =
      absl::StrCat("users/-/wallet/payouts/", second.substr(second.rfind('/') + 1));
  std::string asked_about;
  const absl::Status held_back =
      payouts
          .Approve(any_member, std::string(64, 'a'), kOperator, absl::Now(),
                   [&](std::string_view user_id) {
                     asked_about = user_id;
                     return absl::FailedPreconditionError("disabled");
                   })
          .status();
  CHECK(held_back.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(asked_about == kAda);
  CHECK(counted.pending_count == 1);
  absl::StatusOr<v1::Payout> approved =
      payouts.Approve(any_member, std::string(64, 'a'), kOperator, absl::Now(), kAnyPayee);
  REQUIRE(approved.ok());
  CHECK(approved->state() == v1::PAYOUT_STATE_APPROVED);
  CHECK(counted.pending_count == 0);
  CHECK(counted.pending_msat == 0);
  CHECK(wallet.AvailableMsat(kAda) == 950'000);
}

TEST_CASE("an approval checks the payout's address against the network the server runs on",
          "[wallet]") {
  WalletStore wallet;
  wallet.Fund(kAda, 1'000'000);
  std::string name;
  {
    CountedPayouts regtest(wallet, bitcoin::Network::kRegtest);
    absl::StatusOr<v1::Payout> payout =
        regtest.payouts.Request({.user_id = kAda,
                                 .address = Address(bitcoin::Network::kRegtest),
                                 .amount_msat = 100'000,
                                 .request_id = "p-1"},
                                absl::Now());
    REQUIRE(payout.ok());
    name = payout->name();
  }
  CountedPayouts testnet(wallet, bitcoin::Network::kTestnet);
  const absl::Status refused =
      testnet.payouts.Approve(name, std::string(64, 'a'), kOperator, absl::Now(), kAnyPayee)
          .status();
  CHECK(refused.code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(refused.message()),
             Catch::Contains("not valid on this server's network") &&
                 Catch::Contains("reject the payout instead"));
  // Rejecting it gives the funds back.
  REQUIRE(testnet.payouts.Reject(name, "wrong network", kOperator, absl::Now()).ok());
  CHECK(wallet.AvailableMsat(kAda) == 1'000'000);
}

TEST_CASE("a wallet store belongs to the Bitcoin network it first ran on", "[wallet]") {
  WalletStore wallet;
  REQUIRE(CheckStoreNetwork(wallet.db(), bitcoin::Network::kRegtest).ok());
  CHECK(CheckStoreNetwork(wallet.db(), bitcoin::Network::kRegtest).ok());
  const absl::Status other = CheckStoreNetwork(wallet.db(), bitcoin::Network::kTestnet);
  CHECK(other.code() == absl::StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(other.message()),
             Catch::Contains("belongs to the Bitcoin network regtest") &&
                 Catch::Contains("configured for testnet") &&
                 Catch::Contains("--bitcoin_network=regtest"));
  CHECK(CheckStoreNetwork(wallet.db(), bitcoin::Network::kMainnet).code() ==
        absl::StatusCode::kFailedPrecondition);

  // A store from before the record: its deposit addresses say which network it is.
  WalletStore older;
  storage::DepositAddressRecord record;
  record.set_user_id(kAda);
  record.mutable_address()->set_address(Address(bitcoin::Network::kRegtest));
  record.mutable_address()->set_network(v1::BITCOIN_NETWORK_REGTEST);
  REQUIRE(older.db()
              .store()
              .Put(older.db().deposit_addresses, record.address().address(),
                   record.SerializeAsString(), {.sync = true})
              .ok());
  CHECK(CheckStoreNetwork(older.db(), bitcoin::Network::kTestnet).code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(CheckStoreNetwork(older.db(), bitcoin::Network::kRegtest).ok());
  CHECK(CheckStoreNetwork(older.db(), bitcoin::Network::kTestnet).code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("the wallet's metrics follow the ledger's commits and the waiting payouts", "[wallet]") {
  metrics::Registry registry;
  WalletMetrics metrics(registry);
  WalletStore wallet;
  wallet.Close();
  wallet.Open(
      {.on_commit = [&metrics](const ledger::CommitStats& stats) { metrics.OnCommit(stats); }});
  metrics.SetLedgerTotals(wallet.ledger()->totals());
  wallet.Fund(kAda, 1'000'000);
  metrics.SetPendingPayouts(3, 30'000);
  metrics.PendingPayoutsChanged(-1, -10'000);
  const std::string page = registry.Render();
  INFO(page);
  // Three commits: the system accounts again (at Open), Ada's account, her funding.
  CHECK_THAT(page, Catch::Contains("wallet_ledger_commits_total 3\n") &&
                       Catch::Contains("wallet_ledger_transfers_committed_total 1\n") &&
                       Catch::Contains("wallet_ledger_commit_events_count 3\n") &&
                       Catch::Contains("wallet_ledger_commit_events_bucket{le=\"4\"} 2\n") &&
                       Catch::Contains("wallet_ledger_accounts 6\n") &&
                       Catch::Contains("wallet_ledger_balanced 1\n") &&
                       Catch::Contains("wallet_ledger_posted_msat 1000000\n") &&
                       Catch::Contains("wallet_payouts_pending 2") &&
                       Catch::Contains("wallet_payouts_pending_msat 20000"));
}

}  // namespace
}  // namespace bitcontent::wallet
