// The chain watcher end to end: replay server -> watcher -> deposit records -> a real
// ledger. Confirmations, exactly-once credits across polls and restarts, addresses that
// are not ours, Core's failures, listing and exact amounts. Reorgs: chain_reorg_test.cc.
#include "services/wallet/chain_watcher.h"

#include <catch2/catch.hpp>

#include "tests/unit/wallet/chain_test_util.h"

namespace bitcontent::wallet::testing {
namespace {

using Catch::Contains;

constexpr char kAlice[] = "alice";
constexpr char kAliceAddress[] = "bcrt1qalice";
constexpr uint64_t kHalfBtcMsat = 50'000'000'000;

std::string Pay(ChainHarness& h, const std::string& address, const std::string& amount) {
  std::string txid;
  h.server().Edit([&](ReplayChain& chain) { txid = chain.Pay(address, amount); });
  return txid;
}

void Mine(ChainHarness& h, int count = 1) {
  h.server().Edit([&](ReplayChain& chain) { chain.Mine(count); });
}

uint64_t Unconfirmed(ChainHarness& h, const std::string& user) {
  absl::StatusOr<uint64_t> msat = h.watcher().UnconfirmedMsat(user);
  REQUIRE(msat.ok());
  return *msat;
}

v1::ChainWatcherStatus StatusOf(ChainHarness& h) {
  absl::StatusOr<v1::ChainWatcherStatus> status = h.watcher().Status();
  REQUIRE(status.ok());
  return *status;
}

TEST_CASE("A deposit is CONFIRMING below N confirmations and credited once at N") {
  ChainHarness h(3);
  h.directory().Add(kAliceAddress, kAlice);
  Mine(h, 5);
  const std::string txid = Pay(h, kAliceAddress, "0.5");
  h.Poll();
  v1::Deposit deposit = h.DepositOf(kAlice, txid);
  CHECK(deposit.state() == v1::DEPOSIT_STATE_CONFIRMING);
  CHECK(deposit.confirmations() == 0);
  CHECK(deposit.amount_msat() == kHalfBtcMsat);
  CHECK(deposit.required_confirmations() == 3);
  CHECK(deposit.name() == "users/alice/wallet/deposits/" + txid + ":0");
  CHECK(deposit.address() == kAliceAddress);
  CHECK(deposit.has_detect_time());
  CHECK(Unconfirmed(h, kAlice) == kHalfBtcMsat);
  for (uint32_t confirmations = 1; confirmations < 3; ++confirmations) {
    Mine(h);
    h.Poll();
    CHECK(h.DepositOf(kAlice, txid).confirmations() == confirmations);
    CHECK(h.DepositOf(kAlice, txid).state() == v1::DEPOSIT_STATE_CONFIRMING);
    CHECK(h.BalanceOf(kAlice) == 0);
  }
  Mine(h);
  h.Poll();
  deposit = h.DepositOf(kAlice, txid);
  CHECK(deposit.state() == v1::DEPOSIT_STATE_CREDITED);
  CHECK(deposit.transfer_id() == ledger::IdToBytes(DepositTransferId(txid, 0)));
  CHECK(deposit.has_credit_time());
  CHECK(h.BalanceOf(kAlice) == kHalfBtcMsat);
  CHECK(Unconfirmed(h, kAlice) == 0);
  CHECK(h.crediter().calls() == 1);
  // Later polls, with or without new blocks, leave it alone.
  for (int i = 0; i < 3; ++i) {
    h.Poll();
    Mine(h);
  }
  CHECK(h.BalanceOf(kAlice) == kHalfBtcMsat);
  CHECK(h.crediter().calls() == 1);
  const v1::ChainWatcherStatus status = StatusOf(h);
  CHECK(status.credited_deposit_count() == 1);
  CHECK(status.confirming_deposit_count() == 0);
  CHECK(status.network() == v1::BITCOIN_NETWORK_REGTEST);
  CHECK(status.required_confirmations() == 3);
  CHECK(status.tip_height() == 10);
  CHECK(status.cursor_height() == 8);
  CHECK(status.cursor_block_hash().size() == 64);
  CHECK(status.has_last_poll_time());
  CHECK(status.last_error().empty());
}

TEST_CASE("A deposit seen below N is picked up again after the cursor moves on") {
  ChainHarness h(3);
  h.directory().Add(kAliceAddress, kAlice);
  Mine(h, 10);
  const std::string txid = Pay(h, kAliceAddress, "0.5");
  Mine(h, 2);
  h.Poll();  // 2 confirmations; the cursor is now the block at depth 3, below the deposit.
  CHECK(h.DepositOf(kAlice, txid).confirmations() == 2);
  const std::string cursor = StatusOf(h).cursor_block_hash();
  CHECK(!cursor.empty());
  Mine(h, 20);  // Far past the cursor before the next poll.
  h.Poll();
  CHECK(h.DepositOf(kAlice, txid).state() == v1::DEPOSIT_STATE_CREDITED);
  CHECK(h.BalanceOf(kAlice) == kHalfBtcMsat);
  CHECK(StatusOf(h).cursor_block_hash() != cursor);
}

TEST_CASE("Repeated polls and restarts never credit twice") {
  ChainHarness h(3);
  h.directory().Add(kAliceAddress, kAlice);
  const std::string txid = Pay(h, kAliceAddress, "0.5");
  Mine(h, 2);
  h.Poll();
  h.Restart();
  CHECK(h.DepositOf(kAlice, txid).confirmations() == 2);
  Mine(h);
  h.Poll();
  h.Poll();
  h.Restart();
  h.Poll();
  Mine(h);
  h.Poll();
  CHECK(h.BalanceOf(kAlice) == kHalfBtcMsat);
  CHECK(h.DepositOf(kAlice, txid).state() == v1::DEPOSIT_STATE_CREDITED);
  CHECK(StatusOf(h).credited_deposit_count() == 1);
}

TEST_CASE("A credit made before a crash is not made again") {
  ChainHarness h(3);
  h.directory().Add(kAliceAddress, kAlice);
  const std::string txid = Pay(h, kAliceAddress, "0.5");
  Mine(h, 3);
  // As if the last process credited the deposit and died before recording it.
  REQUIRE(h.crediter().Credit(kAlice, txid, 0, kHalfBtcMsat).ok());
  h.Restart();
  h.Poll();
  CHECK(h.DepositOf(kAlice, txid).state() == v1::DEPOSIT_STATE_CREDITED);
  CHECK(h.BalanceOf(kAlice) == kHalfBtcMsat);
}

TEST_CASE("A failed credit is retried at the next poll although the cursor moved on") {
  ChainHarness h(3);
  h.directory().Add(kAliceAddress, kAlice);
  const std::string txid = Pay(h, kAliceAddress, "0.5");
  Mine(h, 3);
  h.crediter().FailWith(absl::UnavailableError("ledger is busy"));
  const absl::Status failed = h.watcher().PollOnce();
  CHECK(absl::IsUnavailable(failed));
  CHECK_THAT(std::string(failed.message()), Contains(txid) && Contains("ledger is busy"));
  CHECK_THAT(StatusOf(h).last_error(), Contains("ledger is busy"));
  CHECK(h.DepositOf(kAlice, txid).state() == v1::DEPOSIT_STATE_CONFIRMING);
  h.crediter().FailWith(absl::OkStatus());
  Mine(h, 10);
  h.Poll();
  CHECK(h.DepositOf(kAlice, txid).state() == v1::DEPOSIT_STATE_CREDITED);
  CHECK(h.BalanceOf(kAlice) == kHalfBtcMsat);
  CHECK(StatusOf(h).last_error().empty());
}

TEST_CASE("Addresses that are not ours are ignored") {
  ChainHarness h(1);
  h.directory().Add(kAliceAddress, kAlice);
  std::string txid;
  h.server().Edit([&](ReplayChain& chain) {
    txid = chain.Pay({{"bcrt1qsomeoneelse", "3"}, {kAliceAddress, "0.5"}});
    chain.Pay("bcrt1qstranger", "7");
    chain.Mine(2);
  });
  h.Poll();
  absl::StatusOr<v1::ListDepositsResponse> listed = h.watcher().ListDeposits(kAlice, 0, "");
  REQUIRE(listed.ok());
  REQUIRE(listed->deposits_size() == 1);
  CHECK(listed->deposits(0).vout() == 1);
  CHECK(h.BalanceOf(kAlice) == kHalfBtcMsat);
  CHECK(StatusOf(h).credited_deposit_count() == 1);
}

TEST_CASE("Amounts of one satoshi and of almost all bitcoin are credited exactly") {
  ChainHarness h(1);
  h.directory().Add(kAliceAddress, kAlice);
  h.directory().Add("bcrt1qbob", "bob");
  std::string txid;
  h.server().Edit([&](ReplayChain& chain) {
    txid = chain.Pay({{kAliceAddress, "0.00000001"}, {"bcrt1qbob", "20999999.9769"}});
    chain.Mine(1);
  });
  h.Poll();
  CHECK(h.DepositOf(kAlice, txid, 0).amount_msat() == 1'000);
  CHECK(h.DepositOf("bob", txid, 1).amount_msat() == 2'099'999'997'690'000'000);
  CHECK(h.BalanceOf(kAlice) == 1'000);
  CHECK(h.BalanceOf("bob") == 2'099'999'997'690'000'000);
}

TEST_CASE("Deposits are listed newest first with page tokens") {
  ChainHarness h(3);
  h.directory().Add(kAliceAddress, kAlice);
  std::vector<std::string> txids;
  for (int i = 0; i < 3; ++i) {
    txids.push_back(Pay(h, kAliceAddress, "0.1"));
    h.Poll();
  }
  absl::StatusOr<v1::ListDepositsResponse> first = h.watcher().ListDeposits(kAlice, 2, "");
  REQUIRE(first.ok());
  REQUIRE(first->deposits_size() == 2);
  CHECK(first->deposits(0).txid() == txids[2]);
  CHECK(first->deposits(1).txid() == txids[1]);
  REQUIRE(!first->next_page_token().empty());
  absl::StatusOr<v1::ListDepositsResponse> second =
      h.watcher().ListDeposits(kAlice, 2, first->next_page_token());
  REQUIRE(second.ok());
  REQUIRE(second->deposits_size() == 1);
  CHECK(second->deposits(0).txid() == txids[0]);
  CHECK(second->next_page_token().empty());
  CHECK(Unconfirmed(h, kAlice) == 3 * 10'000'000'000ULL);
  CHECK(absl::IsInvalidArgument(h.watcher().ListDeposits(kAlice, 2, "bogus").status()));
  CHECK(absl::IsInvalidArgument(h.watcher().ListDeposits(kAlice, -1, "").status()));
  absl::StatusOr<v1::ListDepositsResponse> nobody = h.watcher().ListDeposits("nobody", 0, "");
  REQUIRE(nobody.ok());
  CHECK(nobody->deposits_size() == 0);
}

TEST_CASE("Core errors, a wrong network, a wrong password and a server that is down are clear") {
  ChainHarness h(3);
  h.directory().Add(kAliceAddress, kAlice);
  h.server().FailNext(1, kCoreInWarmup, "Loading block index...");
  CHECK(absl::IsUnavailable(h.watcher().PollOnce()));
  CHECK_THAT(StatusOf(h).last_error(), Contains("Loading block index"));
  h.Poll();
  CHECK(StatusOf(h).last_error().empty());

  h.server().SetChainName("main");
  const absl::Status wrong_network = h.watcher().PollOnce();
  CHECK(absl::IsFailedPrecondition(wrong_network));
  CHECK_THAT(StatusOf(h).last_error(), Contains("\"main\"") && Contains("regtest"));
  h.server().SetChainName("regtest");

  h.rpc_options.password = "wrong";
  h.Restart();
  CHECK(absl::IsUnauthenticated(h.watcher().PollOnce()));
  CHECK_THAT(StatusOf(h).last_error(), Contains("refused the credentials"));

  h.server().Stop();
  CHECK(absl::IsUnavailable(h.watcher().PollOnce()));
  CHECK_THAT(StatusOf(h).last_error(), Contains("cannot be reached"));
}

TEST_CASE("Transfer ids of deposits are derived from the output") {
  const ledger::Id id = DepositTransferId(std::string(64, 'a'), 0);
  CHECK(id == DepositTransferId(std::string(64, 'a'), 0));
  CHECK(id != DepositTransferId(std::string(64, 'a'), 1));
  CHECK(id != DepositTransferId(std::string(64, 'b'), 0));
  CHECK(!id.IsZero());
}

}  // namespace
}  // namespace bitcontent::wallet::testing
