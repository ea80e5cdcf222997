// Every CreateAccountResult and CreateTransferResult, every flag, two-phase transfers,
// expiry, idempotency and reopening.
#include <catch2/catch.hpp>
#include <limits>
#include <vector>

#include "libs/ledger/checks.h"
#include "tests/unit/ledger/ledger_test_util.h"

namespace bitcontent::ledger {
namespace {

using AR = CreateAccountResult;
using TR = CreateTransferResult;
constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

TEST_CASE("CreateAccounts answers every CreateAccountResult", "[ledger]") {
  Harness h;
  CHECK(h.Account1(Acct(1)) == AR::kOk);
  CHECK(h.Get(1).timestamp_ns >= kStartNs);
  Account a = Acct(2);
  a.timestamp_ns = 1;
  CHECK(h.Account1(a) == AR::kTimestampMustBeZero);
  CHECK(h.Account1(Account{.ledger = 1, .code = 1}) == AR::kIdMustNotBeZero);
  CHECK(h.Account1(Account{.id = kIdMax, .ledger = 1, .code = 1}) == AR::kIdMustNotBeIntMax);
  CHECK(h.Account1(Acct(2, kDebitsMustNotExceedCredits | kCreditsMustNotExceedDebits)) ==
        AR::kFlagsAreMutuallyExclusive);
  a = Acct(2);
  a.debits_pending_msat = 1;
  CHECK(h.Account1(a) == AR::kDebitsPendingMustBeZero);
  a = Acct(2);
  a.debits_posted_msat = 1;
  CHECK(h.Account1(a) == AR::kDebitsPostedMustBeZero);
  a = Acct(2);
  a.credits_pending_msat = 1;
  CHECK(h.Account1(a) == AR::kCreditsPendingMustBeZero);
  a = Acct(2);
  a.credits_posted_msat = 1;
  CHECK(h.Account1(a) == AR::kCreditsPostedMustBeZero);
  a = Acct(2);
  a.ledger = 0;
  CHECK(h.Account1(a) == AR::kLedgerMustNotBeZero);
  a = Acct(2);
  a.code = 0;
  CHECK(h.Account1(a) == AR::kCodeMustNotBeZero);
  CHECK(h.Account1(Acct(1, kDebitsMustNotExceedCredits)) == AR::kExistsWithDifferentFlags);
  a = Acct(1);
  a.user_data_128 = N(9);
  CHECK(h.Account1(a) == AR::kExistsWithDifferentUserData128);
  a = Acct(1);
  a.user_data_64 = 9;
  CHECK(h.Account1(a) == AR::kExistsWithDifferentUserData64);
  a = Acct(1);
  a.user_data_32 = 9;
  CHECK(h.Account1(a) == AR::kExistsWithDifferentUserData32);
  a = Acct(1);
  a.ledger = 2;
  CHECK(h.Account1(a) == AR::kExistsWithDifferentLedger);
  a = Acct(1);
  a.code = 2;
  CHECK(h.Account1(a) == AR::kExistsWithDifferentCode);
  CHECK(h.Account1(Acct(1)) == AR::kExists);
  CHECK(h.ledger().totals().account_count == 1);
}

TEST_CASE("Linked accounts are created together or not at all", "[ledger]") {
  Harness h;
  Account bad = Acct(12);
  bad.code = 0;
  CHECK(h.Accounts({Acct(10, kAccountLinked), Acct(11, kAccountLinked), bad, Acct(13)}) ==
        std::vector<AR>{AR::kLinkedEventFailed, AR::kLinkedEventFailed, AR::kCodeMustNotBeZero,
                        AR::kOk});
  auto found = h.ledger().LookupAccounts(std::vector<Id>{N(10), N(11), N(13)});
  REQUIRE(found.ok());
  CHECK(!(*found)[0].has_value());
  CHECK(!(*found)[1].has_value());
  CHECK((*found)[2].has_value());
  CHECK(h.Accounts({Acct(10, kAccountLinked), Acct(11)}) == std::vector<AR>{AR::kOk, AR::kOk});
  CHECK(h.Accounts({Acct(20), Acct(21, kAccountLinked), Acct(22, kAccountLinked)}) ==
        std::vector<AR>{AR::kOk, AR::kLinkedEventFailed, AR::kLinkedEventChainOpen});
  CHECK(h.ledger().totals().account_count == 4);
}

TEST_CASE("More than kBatchEventsMax events is InvalidArgument", "[ledger]") {
  Harness h;
  std::vector<Transfer> transfers(kBatchEventsMax + 1, Xfer(1, 1, 2, 1));
  CHECK(h.ledger().CreateTransfers(transfers).status().code() ==
        absl::StatusCode::kInvalidArgument);
  std::vector<Account> accounts(kBatchEventsMax + 1, Acct(1));
  CHECK(h.ledger().CreateAccounts(accounts).status().code() == absl::StatusCode::kInvalidArgument);
}

// Accounts 1..4 on ledger 1 without constraints, 5 on ledger 2, 6 a member wallet
// (debits must not exceed credits), 7 credits must not exceed debits.
void Setup(Harness& h) {
  Account other = Acct(5);
  other.ledger = 2;
  REQUIRE(
      h.Accounts({Acct(1), Acct(2), Acct(3), Acct(4), other, Acct(6, kDebitsMustNotExceedCredits),
                  Acct(7, kCreditsMustNotExceedDebits)}) == std::vector<AR>(7, AR::kOk));
}

TEST_CASE("CreateTransfers answers the field checks in order", "[ledger]") {
  Harness h;
  Setup(h);
  Transfer t = Xfer(100, 1, 2, 10);
  t.timestamp_ns = 5;
  CHECK(h.Transfer1(t) == TR::kTimestampMustBeZero);
  CHECK(h.Transfer1(Xfer(0, 1, 2, 10)) == TR::kIdMustNotBeZero);
  t = Xfer(100, 1, 2, 10);
  t.id = kIdMax;
  CHECK(h.Transfer1(t) == TR::kIdMustNotBeIntMax);
  CHECK(h.Transfer1(Xfer(100, 1, 2, 10, kPending | kVoidPendingTransfer)) ==
        TR::kFlagsAreMutuallyExclusive);
  CHECK(h.Transfer1(Xfer(100, 0, 2, 10)) == TR::kDebitAccountIdMustNotBeZero);
  t = Xfer(100, 1, 2, 10);
  t.debit_account_id = kIdMax;
  CHECK(h.Transfer1(t) == TR::kDebitAccountIdMustNotBeIntMax);
  CHECK(h.Transfer1(Xfer(100, 1, 0, 10)) == TR::kCreditAccountIdMustNotBeZero);
  t = Xfer(100, 1, 2, 10);
  t.credit_account_id = kIdMax;
  CHECK(h.Transfer1(t) == TR::kCreditAccountIdMustNotBeIntMax);
  CHECK(h.Transfer1(Xfer(100, 1, 1, 10)) == TR::kAccountsMustBeDifferent);
  t = Xfer(100, 1, 2, 10);
  t.pending_id = N(50);
  CHECK(h.Transfer1(t) == TR::kPendingIdMustBeZero);
  CHECK(h.Transfer1(Resolve(100, 0, kPostPendingTransfer)) == TR::kPendingIdMustNotBeZero);
  t = Resolve(100, 0, kPostPendingTransfer);
  t.pending_id = kIdMax;
  CHECK(h.Transfer1(t) == TR::kPendingIdMustNotBeIntMax);
  CHECK(h.Transfer1(Resolve(100, 100, kVoidPendingTransfer)) == TR::kPendingIdMustBeDifferent);
  t = Xfer(100, 1, 2, 10);
  t.timeout_seconds = 1;
  CHECK(h.Transfer1(t) == TR::kTimeoutReservedForPendingTransfer);
  CHECK(h.Transfer1(Xfer(100, 1, 2, 0)) == TR::kAmountMustNotBeZero);
  t = Xfer(100, 1, 2, 10);
  t.ledger = 0;
  CHECK(h.Transfer1(t) == TR::kLedgerMustNotBeZero);
  t = Xfer(100, 1, 2, 10);
  t.code = 0;
  CHECK(h.Transfer1(t) == TR::kCodeMustNotBeZero);
  // None of these is remembered: the id is still free.
  CHECK(h.Transfer1(Xfer(100, 1, 2, 10)) == TR::kOk);
}

TEST_CASE("CreateTransfers answers the account and balance checks", "[ledger]") {
  Harness h;
  Setup(h);
  CHECK(h.Transfer1(Xfer(100, 99, 2, 10)) == TR::kDebitAccountNotFound);
  CHECK(h.Transfer1(Xfer(101, 1, 99, 10)) == TR::kCreditAccountNotFound);
  CHECK(h.Transfer1(Xfer(102, 1, 5, 10)) == TR::kAccountsMustHaveTheSameLedger);
  Transfer t = Xfer(103, 1, 2, 10);
  t.ledger = 2;
  CHECK(h.Transfer1(t) == TR::kTransferMustHaveTheSameLedgerAsAccounts);
  CHECK(h.Transfer1(Xfer(104, 6, 1, 10)) == TR::kExceedsCredits);
  CHECK(h.Transfer1(Xfer(105, 1, 7, 10)) == TR::kExceedsDebits);
  // Transient failures are remembered: the same id fails even once it could succeed.
  CHECK(h.Transfer1(Xfer(106, 1, 6, 10)) == TR::kOk);
  CHECK(h.Transfer1(Xfer(104, 6, 1, 10)) == TR::kIdAlreadyFailed);
  CHECK(h.Transfer1(Xfer(107, 6, 1, 10)) == TR::kOk);
  CHECK(h.Get(6).credits_posted_msat == 10);
  CHECK(h.Get(6).debits_posted_msat == 10);
  CHECK(h.Transfer1(Xfer(100, 1, 2, 10)) == TR::kIdAlreadyFailed);
  h.Reopen();
  CHECK(h.Transfer1(Xfer(101, 1, 2, 10)) == TR::kIdAlreadyFailed);
  // A member wallet's holds count against it.
  CHECK(h.Transfer1(Xfer(108, 2, 6, 5)) == TR::kOk);
  CHECK(h.Transfer1(Xfer(109, 6, 1, 4, kPending)) == TR::kOk);
  CHECK(h.Transfer1(Xfer(110, 6, 1, 2)) == TR::kExceedsCredits);
  CHECK(h.Transfer1(Xfer(111, 6, 1, 1)) == TR::kOk);
}

TEST_CASE("CreateTransfers answers EXISTS and every EXISTS_WITH_DIFFERENT code", "[ledger]") {
  Harness h;
  Setup(h);
  Transfer base = Xfer(100, 1, 2, 10, kPending);
  base.user_data_128 = N(1);
  base.user_data_64 = 2;
  base.user_data_32 = 3;
  base.timeout_seconds = 60;
  REQUIRE(h.Transfer1(base) == TR::kOk);
  CHECK(h.Transfer1(base) == TR::kExists);
  Transfer t = base;
  t.flags = 0;
  t.timeout_seconds = 0;
  CHECK(h.Transfer1(t) == TR::kExistsWithDifferentFlags);
  t = base;
  t.debit_account_id = N(3);
  CHECK(h.Transfer1(t) == TR::kExistsWithDifferentDebitAccountId);
  t = base;
  t.credit_account_id = N(3);
  CHECK(h.Transfer1(t) == TR::kExistsWithDifferentCreditAccountId);
  t = base;
  t.amount_msat = 11;
  CHECK(h.Transfer1(t) == TR::kExistsWithDifferentAmount);
  t = base;
  t.user_data_128 = N(9);
  CHECK(h.Transfer1(t) == TR::kExistsWithDifferentUserData128);
  t = base;
  t.user_data_64 = 9;
  CHECK(h.Transfer1(t) == TR::kExistsWithDifferentUserData64);
  t = base;
  t.user_data_32 = 9;
  CHECK(h.Transfer1(t) == TR::kExistsWithDifferentUserData32);
  t = base;
  t.timeout_seconds = 9;
  CHECK(h.Transfer1(t) == TR::kExistsWithDifferentTimeout);
  t = base;
  t.code = 2;
  CHECK(h.Transfer1(t) == TR::kExistsWithDifferentCode);
  // Posts of the same id naming another pending transfer.
  REQUIRE(h.Transfer1(Xfer(101, 1, 2, 10, kPending)) == TR::kOk);
  REQUIRE(h.Transfer1(Resolve(102, 100, kPostPendingTransfer)) == TR::kOk);
  CHECK(h.Transfer1(Resolve(102, 100, kPostPendingTransfer)) == TR::kExists);
  CHECK(h.Transfer1(Resolve(102, 101, kPostPendingTransfer)) == TR::kExistsWithDifferentPendingId);
  Account other_ledger_1 = Acct(8);
  other_ledger_1.ledger = 2;
  REQUIRE(h.Account1(other_ledger_1) == AR::kOk);
  t = Xfer(103, 5, 8, 10);
  t.ledger = 2;
  REQUIRE(h.Transfer1(t) == TR::kOk);
  // Same id, accounts on ledger 1: the stored one was on ledger 2.
  CHECK(h.Transfer1(Xfer(103, 5, 8, 10)) == TR::kTransferMustHaveTheSameLedgerAsAccounts);
  t = Xfer(104, 1, 2, 10);
  REQUIRE(h.Transfer1(t) == TR::kOk);
  REQUIRE(h.Transfer1(Xfer(105, 1, 2, 3, kPending)) == TR::kOk);
  REQUIRE(h.Transfer1(Resolve(106, 105, kVoidPendingTransfer)) == TR::kOk);
  // The stored void resolved ledger 1; a post of the same id differs in flags first.
  CHECK(h.Transfer1(Resolve(106, 105, kPostPendingTransfer)) == TR::kExistsWithDifferentFlags);
}

TEST_CASE("EXISTS_WITH_DIFFERENT_LEDGER comes from comparing with the stored transfer",
          "[ledger]") {
  // Through the engine the ledger checks against the accounts (or the pending transfer)
  // run first, so the code shows only in the comparison itself.
  const Transfer stored = Xfer(12, 1, 2, 5);
  Transfer submitted = stored;
  submitted.ledger = 2;
  CHECK(CompareWithExisting(submitted, stored) == TR::kExistsWithDifferentLedger);
  CHECK(CompareWithExisting(stored, stored) == TR::kExists);
}

TEST_CASE("Two-phase transfers post fully or partly and void", "[ledger]") {
  Harness h;
  Setup(h);
  REQUIRE(h.Transfer1(Xfer(100, 1, 2, 10, kPending)) == TR::kOk);
  CHECK(h.Get(1).debits_pending_msat == 10);
  CHECK(h.Get(2).credits_pending_msat == 10);
  CHECK(h.Transfer1(Resolve(101, 99, kPostPendingTransfer)) == TR::kPendingTransferNotFound);
  REQUIRE(h.Transfer1(Xfer(102, 1, 2, 10)) == TR::kOk);
  CHECK(h.Transfer1(Resolve(103, 102, kPostPendingTransfer)) == TR::kPendingTransferNotPending);
  Transfer t = Resolve(104, 100, kPostPendingTransfer);
  t.debit_account_id = N(3);
  CHECK(h.Transfer1(t) == TR::kPendingTransferHasDifferentDebitAccountId);
  t = Resolve(104, 100, kPostPendingTransfer);
  t.credit_account_id = N(3);
  CHECK(h.Transfer1(t) == TR::kPendingTransferHasDifferentCreditAccountId);
  t = Resolve(104, 100, kPostPendingTransfer);
  t.ledger = 2;
  CHECK(h.Transfer1(t) == TR::kPendingTransferHasDifferentLedger);
  t = Resolve(104, 100, kPostPendingTransfer);
  t.code = 2;
  CHECK(h.Transfer1(t) == TR::kPendingTransferHasDifferentCode);
  CHECK(h.Transfer1(Resolve(104, 100, kPostPendingTransfer, 11)) ==
        TR::kExceedsPendingTransferAmount);
  CHECK(h.Transfer1(Resolve(104, 100, kVoidPendingTransfer, 3)) ==
        TR::kPendingTransferHasDifferentAmount);
  // A partial post: 4 of 10 moves, the rest is released.
  CHECK(h.Transfer1(Resolve(105, 100, kPostPendingTransfer, 4)) == TR::kOk);
  CHECK(h.Get(1).debits_pending_msat == 0);
  CHECK(h.Get(1).debits_posted_msat == 14);
  CHECK(h.Get(2).credits_posted_msat == 14);
  auto state = h.ledger().LookupPending(N(100));
  REQUIRE(state.ok());
  CHECK(state->status == PendingStatus::kPosted);
  CHECK(state->posted_amount_msat == 4);
  CHECK(h.Transfer1(Resolve(105, 100, kPostPendingTransfer, 4)) == TR::kExists);
  CHECK(h.Transfer1(Resolve(106, 100, kPostPendingTransfer)) == TR::kPendingTransferAlreadyPosted);
  // A full post with amount 0, and a void.
  REQUIRE(h.Transfer1(Xfer(110, 1, 2, 7, kPending)) == TR::kOk);
  CHECK(h.Transfer1(Resolve(111, 110, kPostPendingTransfer)) == TR::kOk);
  auto posts = h.ledger().LookupTransfers(std::vector<Id>{N(111)});
  REQUIRE(posts.ok());
  CHECK((*posts)[0]->amount_msat == 7);
  CHECK((*posts)[0]->debit_account_id == N(1));
  REQUIRE(h.Transfer1(Xfer(120, 1, 2, 7, kPending)) == TR::kOk);
  CHECK(h.Transfer1(Resolve(121, 120, kVoidPendingTransfer, 7)) == TR::kOk);
  CHECK(h.Transfer1(Resolve(122, 120, kVoidPendingTransfer)) == TR::kPendingTransferAlreadyVoided);
  CHECK(h.Transfer1(Resolve(122, 120, kPostPendingTransfer)) == TR::kPendingTransferAlreadyVoided);
  CHECK(h.Get(1).debits_pending_msat == 0);
  CHECK(h.Get(1).debits_posted_msat == 21);
  CHECK(h.ledger().totals().Balanced());
}

TEST_CASE("Pending transfers expire on their own after their timeout", "[ledger]") {
  Harness h;
  Setup(h);
  REQUIRE(h.Transfer1(Xfer(100, 2, 6, 50)) == TR::kOk);
  Transfer hold = Xfer(101, 6, 1, 30, kPending);
  hold.timeout_seconds = 10;
  REQUIRE(h.Transfer1(hold) == TR::kOk);
  Transfer later = Xfer(102, 6, 1, 10, kPending);
  later.timeout_seconds = 100;
  REQUIRE(h.Transfer1(later) == TR::kOk);
  CHECK(h.Transfer1(Xfer(103, 6, 1, 20)) == TR::kExceedsCredits);
  h.clock().AdvanceNs(9 * kSecondNs);
  REQUIRE(h.ledger().ExpireDueHolds().ok());
  CHECK(h.Get(6).debits_pending_msat == 40);
  h.clock().AdvanceNs(2 * kSecondNs);
  // A post after the deadline is EXPIRED even before the writer released it...
  CHECK(h.Transfer1(Resolve(104, 101, kPostPendingTransfer)) == TR::kPendingTransferExpired);
  // ...and the commit released it.
  CHECK(h.Get(6).debits_pending_msat == 10);
  auto state = h.ledger().LookupPending(N(101));
  REQUIRE(state.ok());
  CHECK(state->status == PendingStatus::kExpired);
  CHECK(h.Transfer1(Xfer(105, 6, 1, 40)) == TR::kOk);
  // The expiry index survives a reopen.
  h.Reopen();
  h.clock().AdvanceNs(100 * kSecondNs);
  REQUIRE(h.ledger().ExpireDueHolds().ok());
  CHECK(h.Get(6).debits_pending_msat == 0);
  auto events = h.ledger().ListTransferEvents(0, 100, absl::ZeroDuration());
  REQUIRE(events.ok());
  int expired = 0;
  for (const TransferEvent& e : *events) expired += e.type == TransferEventType::kExpired;
  CHECK(expired == 2);
  CHECK(h.ledger().totals().debits_pending_msat == 0);
}

TEST_CASE("CreateTransfers answers the overflow codes", "[ledger]") {
  Harness h;
  REQUIRE(h.Accounts({Acct(1), Acct(2), Acct(3), Acct(4), Acct(5), Acct(6)}) ==
          std::vector<AR>(6, AR::kOk));
  REQUIRE(h.Transfer1(Xfer(10, 1, 2, kMax - 1, kPending)) == TR::kOk);
  CHECK(h.Transfer1(Xfer(11, 1, 3, 2, kPending)) == TR::kOverflowsDebitsPending);
  CHECK(h.Transfer1(Xfer(12, 3, 2, 2, kPending)) == TR::kOverflowsCreditsPending);
  REQUIRE(h.Transfer1(Xfer(13, 3, 4, kMax - 1)) == TR::kOk);
  CHECK(h.Transfer1(Xfer(14, 3, 5, 2)) == TR::kOverflowsDebitsPosted);
  CHECK(h.Transfer1(Xfer(15, 5, 4, 2)) == TR::kOverflowsCreditsPosted);
  // Account 1: debits_pending = max - 1; a posted debit of 2 overflows the sum only.
  CHECK(h.Transfer1(Xfer(16, 1, 5, 2)) == TR::kOverflowsDebits);
  // Account 2: credits_pending = max - 1.
  CHECK(h.Transfer1(Xfer(17, 6, 2, 2)) == TR::kOverflowsCredits);

  Harness late(kMax - 1'000 * kSecondNs);
  REQUIRE(late.Accounts({Acct(1), Acct(2)}) == std::vector<AR>(2, AR::kOk));
  Transfer t = Xfer(10, 1, 2, 1, kPending);
  t.timeout_seconds = 2'000;
  CHECK(late.Transfer1(t) == TR::kOverflowsTimeout);
}

TEST_CASE("Linked transfers commit together or not at all", "[ledger]") {
  Harness h;
  Setup(h);
  REQUIRE(h.Transfer1(Xfer(100, 1, 6, 100)) == TR::kOk);
  // A purchase: buyer 6 pays 3 recipients; the last share overdraws, nothing moves.
  CHECK(h.Transfers({Xfer(101, 6, 2, 50, kTransferLinked), Xfer(102, 6, 3, 30, kTransferLinked),
                     Xfer(103, 6, 4, 30)}) ==
        std::vector<TR>{TR::kLinkedEventFailed, TR::kLinkedEventFailed, TR::kExceedsCredits});
  CHECK(h.Get(6).debits_posted_msat == 0);
  CHECK(h.Get(2).credits_posted_msat == 0);
  // The failed one is remembered; the others are free to use again.
  CHECK(h.Transfers({Xfer(101, 6, 2, 50, kTransferLinked), Xfer(102, 6, 3, 30, kTransferLinked),
                     Xfer(104, 6, 4, 20)}) == std::vector<TR>{TR::kOk, TR::kOk, TR::kOk});
  CHECK(h.Get(6).debits_posted_msat == 100);
  // A retry of the whole chain is EXISTS for each.
  CHECK(h.Transfers({Xfer(101, 6, 2, 50, kTransferLinked), Xfer(102, 6, 3, 30, kTransferLinked),
                     Xfer(104, 6, 4, 20)}) ==
        std::vector<TR>{TR::kExists, TR::kExists, TR::kExists});
  // A chain left open fails as a whole, and the events before it still apply.
  CHECK(h.Transfers({Xfer(105, 1, 2, 1), Xfer(106, 1, 2, 1, kTransferLinked),
                     Xfer(107, 1, 2, 1, kTransferLinked)}) ==
        std::vector<TR>{TR::kOk, TR::kLinkedEventFailed, TR::kLinkedEventChainOpen});
  // A chain with a pending transfer and its post.
  CHECK(h.Transfers({Xfer(108, 1, 2, 5, kPending | kTransferLinked),
                     Resolve(109, 108, kPostPendingTransfer)}) ==
        std::vector<TR>{TR::kOk, TR::kOk});
  CHECK(h.Get(1).debits_posted_msat == 106);
  CHECK(h.ledger().totals().Balanced());
}

TEST_CASE("Timestamps are unique and strictly increasing even when the clock stands still",
          "[ledger]") {
  Harness h;
  Setup(h);
  std::vector<Transfer> batch;
  for (uint64_t i = 0; i < 50; ++i) batch.push_back(Xfer(100 + i, 1, 2, 1));
  REQUIRE(h.Transfers(batch) == std::vector<TR>(50, TR::kOk));
  std::vector<Id> ids;
  for (const Transfer& t : batch) ids.push_back(t.id);
  auto stored = h.ledger().LookupTransfers(ids);
  REQUIRE(stored.ok());
  uint64_t last = h.Get(7).timestamp_ns;
  for (const auto& t : *stored) {
    REQUIRE(t.has_value());
    CHECK(t->timestamp_ns > last);
    last = t->timestamp_ns;
  }
}

TEST_CASE("Reopening rebuilds accounts totals and idempotency", "[ledger]") {
  Harness h;
  Setup(h);
  REQUIRE(h.Transfers({Xfer(100, 1, 2, 10), Xfer(101, 2, 6, 5), Xfer(102, 6, 3, 2, kPending)}) ==
          std::vector<TR>(3, TR::kOk));
  const Totals before = h.ledger().totals();
  const Account six = h.Get(6);
  h.Reopen();
  CHECK(h.ledger().totals() == before);
  CHECK(h.Get(6) == six);
  CHECK(h.Transfer1(Xfer(100, 1, 2, 10)) == TR::kExists);
  CHECK(h.Transfer1(Resolve(103, 102, kVoidPendingTransfer)) == TR::kOk);
  CHECK(h.Transfer1(Xfer(104, 1, 2, 1)) == TR::kOk);
  CHECK(h.ledger().totals().transfer_count == 5);
  CHECK(h.ledger().totals().last_timestamp_ns > before.last_timestamp_ns);
}

TEST_CASE("The ledger tells each durable commit's size, expiries and totals", "[ledger]") {
  Harness h;
  std::vector<CommitStats> commits;
  h.on_commit = [&commits](const CommitStats& stats) { commits.push_back(stats); };
  h.Reopen();
  Setup(h);
  commits.clear();
  REQUIRE(h.Transfers({Xfer(100, 2, 6, 50), Xfer(101, 6, 1, 5)}) == std::vector<TR>(2, TR::kOk));
  REQUIRE(commits.size() == 1);
  CHECK(commits[0].submissions == 1);
  CHECK(commits[0].events == 2);
  CHECK(commits[0].expired_holds == 0);
  CHECK(commits[0].totals == h.ledger().totals());
  // A failed transfer is still an event of the commit; the totals do not count it.
  const uint64_t transfers = h.ledger().totals().transfer_count;
  REQUIRE(h.Transfer1(Xfer(102, 6, 1, 1'000)) == TR::kExceedsCredits);
  CHECK(commits.back().events == 1);
  CHECK(commits.back().totals.transfer_count == transfers);
  // Expiries released by a commit are counted in it.
  Transfer hold = Xfer(103, 6, 1, 30, kPending);
  hold.timeout_seconds = 1;
  REQUIRE(h.Transfer1(hold) == TR::kOk);
  const size_t before_expiry = commits.size();
  h.clock().AdvanceNs(2 * kSecondNs);
  REQUIRE(h.ledger().ExpireDueHolds().ok());
  // The idle writer may have released it in a commit of its own first.
  size_t expired = 0;
  for (size_t i = before_expiry; i < commits.size(); ++i) expired += commits[i].expired_holds;
  CHECK(expired == 1);
  CHECK(commits.back().totals.Balanced());
}

}  // namespace
}  // namespace bitcontent::ledger
