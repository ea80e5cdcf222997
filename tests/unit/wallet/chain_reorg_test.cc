// Reorgs against the watcher: a double-spent deposit is REMOVED and never credited, a
// deposit moved to another block (or back to the mempool) is credited once, and a
// credited deposit that a reorg deeper than N takes away is reported, not reversed.
#include <catch2/catch.hpp>
#include <functional>
#include <string>

#include "services/wallet/chain_watcher.h"
#include "tests/unit/wallet/chain_test_util.h"

namespace bitcontent::wallet::testing {
namespace {

constexpr char kAlice[] = "alice";
constexpr char kAliceAddress[] = "bcrt1qalice";
constexpr uint64_t kHalfBtcMsat = 50'000'000'000;

struct Setup {
  ChainHarness h{3};
  std::string txid;

  // A deposit to Alice with `confirmations` after `blocks_before` blocks, polled once.
  Setup(int blocks_before, int confirmations) {
    h.directory().Add(kAliceAddress, kAlice);
    h.server().Edit([&](ReplayChain& chain) {
      chain.Mine(blocks_before);
      txid = chain.Pay(kAliceAddress, "0.5");
      chain.Mine(confirmations);
    });
    h.Poll();
  }
  v1::Deposit deposit() { return h.DepositOf(kAlice, txid); }
  void Edit(const std::function<void(ReplayChain&)>& change) { h.server().Edit(change); }
};

TEST_CASE("A shallow reorg that double-spends an unconfirmed deposit marks it REMOVED") {
  Setup s(0, 1);
  REQUIRE(s.deposit().state() == v1::DEPOSIT_STATE_CONFIRMING);
  // The cursor (genesis) stays in the chain, so Core lists nothing in "removed": the
  // deposit just stops being listed.
  s.Edit([&](ReplayChain& chain) { chain.Reorg(1, 2, {s.txid}); });
  s.h.Poll();
  CHECK(s.deposit().state() == v1::DEPOSIT_STATE_REMOVED);
  CHECK(s.h.watcher().UnconfirmedMsat(kAlice).value() == 0);
  for (int i = 0; i < 5; ++i) {
    s.Edit([](ReplayChain& chain) { chain.Mine(1); });
    s.h.Poll();
  }
  CHECK(s.deposit().state() == v1::DEPOSIT_STATE_REMOVED);
  CHECK(s.h.crediter().calls() == 0);
  CHECK(s.h.BalanceOf(kAlice) == 0);
  CHECK(s.h.watcher().Status()->confirming_deposit_count() == 0);
}

TEST_CASE("A reorg past the cursor that double-spends an unconfirmed deposit marks it REMOVED") {
  Setup s(5, 1);  // Deposit at height 6, cursor at height 4.
  // Core walks "removed" from the cursor block down to the fork point only, so the
  // deposit (above the cursor) is in neither list: it is removed because it vanished.
  s.Edit([&](ReplayChain& chain) { chain.Reorg(3, 4, {s.txid}); });
  s.h.Poll();
  CHECK(s.deposit().state() == v1::DEPOSIT_STATE_REMOVED);
  s.Edit([](ReplayChain& chain) { chain.Mine(5); });
  s.h.Poll();
  CHECK(s.deposit().state() == v1::DEPOSIT_STATE_REMOVED);
  CHECK(s.h.BalanceOf(kAlice) == 0);
}

TEST_CASE("A reorg that moves a deposit to another block still credits it once") {
  Setup s(4, 2);  // Deposit at height 5, tip 6.
  // Blocks 5 and 6 are replaced; the deposit is in the new block 5.
  s.Edit([&](ReplayChain& chain) { chain.Reorg(2, 2); });
  s.h.Poll();
  CHECK(s.deposit().state() == v1::DEPOSIT_STATE_CONFIRMING);
  CHECK(s.deposit().confirmations() == 2);
  s.h.Poll();
  s.Edit([](ReplayChain& chain) { chain.Mine(1); });
  s.h.Poll();
  s.h.Poll();
  CHECK(s.deposit().state() == v1::DEPOSIT_STATE_CREDITED);
  CHECK(s.h.BalanceOf(kAlice) == kHalfBtcMsat);
  CHECK(s.h.crediter().calls() == 1);
}

TEST_CASE("A deposit sent back to the mempool by a reorg waits and is credited once") {
  Setup s(2, 2);
  s.Edit([&](ReplayChain& chain) { chain.Reorg(2, 3, {}, {s.txid}); });
  s.h.Poll();
  CHECK(s.deposit().state() == v1::DEPOSIT_STATE_CONFIRMING);
  CHECK(s.deposit().confirmations() == 0);
  s.Edit([](ReplayChain& chain) { chain.Mine(3); });
  s.h.Poll();
  CHECK(s.deposit().state() == v1::DEPOSIT_STATE_CREDITED);
  CHECK(s.h.BalanceOf(kAlice) == kHalfBtcMsat);
}

TEST_CASE("A credited deposit taken away by a deep reorg is reported, never reversed") {
  Setup s(3, 3);  // Credited at once: 3 confirmations, in the cursor block itself.
  REQUIRE(s.deposit().state() == v1::DEPOSIT_STATE_CREDITED);
  // The cursor block leaves the chain: Core lists the double-spent deposit in "removed".
  s.Edit([&](ReplayChain& chain) { chain.Reorg(4, 5, {s.txid}); });
  s.h.Poll();
  CHECK(s.deposit().state() == v1::DEPOSIT_STATE_CREDITED);
  CHECK(s.h.watcher().RemovedAfterCreditCount().value() == 1);
  CHECK(s.h.BalanceOf(kAlice) == kHalfBtcMsat);
  s.h.Poll();
  CHECK(s.h.watcher().RemovedAfterCreditCount().value() == 1);
}

}  // namespace
}  // namespace bitcontent::wallet::testing
