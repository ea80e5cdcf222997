// Transfer validation, in CreateTransferResult's order. One deviation, as in
// TigerBeetle: for a post or void the existence checks (EXISTS*, ID_ALREADY_FAILED) run
// before PENDING_TRANSFER_ALREADY_POSTED/VOIDED/EXPIRED, so that retrying a post that
// succeeded answers EXISTS rather than ALREADY_POSTED.
#include <bit>
#include <limits>

#include "libs/ledger/checks.h"

namespace bitcontent::ledger {
namespace {

using R = CreateTransferResult;
constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kNanosecondsPerSecond = 1'000'000'000;

bool Overflows(uint64_t a, uint64_t b) { return a > kU64Max - b; }

// EXISTS*, or ID_ALREADY_FAILED, or OK when the id is unused.
R CheckExisting(const WorkingSet& working, const Transfer& t) {
  const StoredId* stored = working.FindId(t.id);
  if (stored == nullptr) return R::kOk;
  if (!stored->transfer.has_value()) return R::kIdAlreadyFailed;
  return CompareWithExisting(t, *stored->transfer);
}

R CheckBalances(const Account& dr, const Account& cr, const Transfer& t) {
  const uint64_t amount = t.amount_msat;
  if (t.flags & kPending) {
    if (Overflows(dr.debits_pending_msat, amount)) return R::kOverflowsDebitsPending;
    if (Overflows(cr.credits_pending_msat, amount)) return R::kOverflowsCreditsPending;
  } else {
    if (Overflows(dr.debits_posted_msat, amount)) return R::kOverflowsDebitsPosted;
    if (Overflows(cr.credits_posted_msat, amount)) return R::kOverflowsCreditsPosted;
  }
  if (Overflows(dr.debits_pending_msat, dr.debits_posted_msat) ||
      Overflows(dr.debits_pending_msat + dr.debits_posted_msat, amount)) {
    return R::kOverflowsDebits;
  }
  if (Overflows(cr.credits_pending_msat, cr.credits_posted_msat) ||
      Overflows(cr.credits_pending_msat + cr.credits_posted_msat, amount)) {
    return R::kOverflowsCredits;
  }
  return R::kOk;
}

}  // namespace

CreateTransferResult CheckTransferFields(const Transfer& t) {
  if (t.timestamp_ns != 0) return R::kTimestampMustBeZero;
  if (t.id.IsZero()) return R::kIdMustNotBeZero;
  if (t.id.IsMax()) return R::kIdMustNotBeIntMax;
  const uint16_t kinds = t.flags & (kPending | kPostPendingTransfer | kVoidPendingTransfer);
  if (std::popcount(kinds) > 1) return R::kFlagsAreMutuallyExclusive;
  const bool post_or_void = t.post_or_void();
  if (!post_or_void) {
    if (t.debit_account_id.IsZero()) return R::kDebitAccountIdMustNotBeZero;
    if (t.debit_account_id.IsMax()) return R::kDebitAccountIdMustNotBeIntMax;
    if (t.credit_account_id.IsZero()) return R::kCreditAccountIdMustNotBeZero;
    if (t.credit_account_id.IsMax()) return R::kCreditAccountIdMustNotBeIntMax;
    if (t.debit_account_id == t.credit_account_id) return R::kAccountsMustBeDifferent;
    if (!t.pending_id.IsZero()) return R::kPendingIdMustBeZero;
  } else {
    if (t.pending_id.IsZero()) return R::kPendingIdMustNotBeZero;
    if (t.pending_id.IsMax()) return R::kPendingIdMustNotBeIntMax;
    if (t.pending_id == t.id) return R::kPendingIdMustBeDifferent;
  }
  if (t.timeout_seconds != 0 && !(t.flags & kPending)) {
    return R::kTimeoutReservedForPendingTransfer;
  }
  if (!post_or_void) {
    if (t.amount_msat == 0) return R::kAmountMustNotBeZero;
    if (t.ledger == 0) return R::kLedgerMustNotBeZero;
    if (t.code == 0) return R::kCodeMustNotBeZero;
  }
  return R::kOk;
}

CreateTransferResult CompareWithExisting(const Transfer& t, const Transfer& e) {
  if (t.flags != e.flags) return R::kExistsWithDifferentFlags;
  if (t.debit_account_id != e.debit_account_id) return R::kExistsWithDifferentDebitAccountId;
  if (t.credit_account_id != e.credit_account_id) return R::kExistsWithDifferentCreditAccountId;
  if (t.amount_msat != e.amount_msat) return R::kExistsWithDifferentAmount;
  if (t.pending_id != e.pending_id) return R::kExistsWithDifferentPendingId;
  if (t.user_data_128 != e.user_data_128) return R::kExistsWithDifferentUserData128;
  if (t.user_data_64 != e.user_data_64) return R::kExistsWithDifferentUserData64;
  if (t.user_data_32 != e.user_data_32) return R::kExistsWithDifferentUserData32;
  if (t.timeout_seconds != e.timeout_seconds) return R::kExistsWithDifferentTimeout;
  if (t.ledger != e.ledger) return R::kExistsWithDifferentLedger;
  if (t.code != e.code) return R::kExistsWithDifferentCode;
  return R::kExists;
}

CreateTransferResult CheckSinglePhase(const WorkingSet& working, const Transfer& t,
                                      uint64_t timestamp_ns) {
  const Account* dr = working.FindAccount(t.debit_account_id);
  if (dr == nullptr) return R::kDebitAccountNotFound;
  const Account* cr = working.FindAccount(t.credit_account_id);
  if (cr == nullptr) return R::kCreditAccountNotFound;
  if (dr->ledger != cr->ledger) return R::kAccountsMustHaveTheSameLedger;
  if (t.ledger != dr->ledger) return R::kTransferMustHaveTheSameLedgerAsAccounts;
  if (R existing = CheckExisting(working, t); existing != R::kOk) return existing;
  if (R balances = CheckBalances(*dr, *cr, t); balances != R::kOk) return balances;
  if ((t.flags & kPending) && t.timeout_seconds != 0 &&
      Overflows(timestamp_ns, uint64_t{t.timeout_seconds} * kNanosecondsPerSecond)) {
    return R::kOverflowsTimeout;
  }
  if ((dr->flags & kDebitsMustNotExceedCredits) &&
      dr->debits_pending_msat + dr->debits_posted_msat + t.amount_msat > dr->credits_posted_msat) {
    return R::kExceedsCredits;
  }
  if ((cr->flags & kCreditsMustNotExceedDebits) &&
      cr->credits_pending_msat + cr->credits_posted_msat + t.amount_msat > cr->debits_posted_msat) {
    return R::kExceedsDebits;
  }
  return R::kOk;
}

CreateTransferResult CheckPostOrVoid(const WorkingSet& working, Transfer* t,
                                     const Transfer** pending) {
  const StoredId* stored = working.FindId(t->pending_id);
  if (stored == nullptr || !stored->transfer.has_value()) return R::kPendingTransferNotFound;
  const Transfer& p = *stored->transfer;
  if (!(p.flags & kPending)) return R::kPendingTransferNotPending;
  if (!t->debit_account_id.IsZero() && t->debit_account_id != p.debit_account_id) {
    return R::kPendingTransferHasDifferentDebitAccountId;
  }
  if (!t->credit_account_id.IsZero() && t->credit_account_id != p.credit_account_id) {
    return R::kPendingTransferHasDifferentCreditAccountId;
  }
  if (t->ledger != 0 && t->ledger != p.ledger) return R::kPendingTransferHasDifferentLedger;
  if (t->code != 0 && t->code != p.code) return R::kPendingTransferHasDifferentCode;
  const bool post = (t->flags & kPostPendingTransfer) != 0;
  if (post && t->amount_msat > p.amount_msat) return R::kExceedsPendingTransferAmount;
  if (!post && t->amount_msat != 0 && t->amount_msat != p.amount_msat) {
    return R::kPendingTransferHasDifferentAmount;
  }
  t->debit_account_id = p.debit_account_id;
  t->credit_account_id = p.credit_account_id;
  t->ledger = p.ledger;
  t->code = p.code;
  if (!post || t->amount_msat == 0) t->amount_msat = p.amount_msat;
  if (R existing = CheckExisting(working, *t); existing != R::kOk) return existing;

  const PendingState* state = working.FindPending(p.id);
  LEDGER_ASSERT(state != nullptr);
  if (state->status == PendingStatus::kPosted) return R::kPendingTransferAlreadyPosted;
  if (state->status == PendingStatus::kVoided) return R::kPendingTransferAlreadyVoided;
  // A hold past its deadline is expired even if the expiry pass has not reached it yet.
  if (state->status == PendingStatus::kExpired ||
      (state->expires_at_ns != 0 && state->expires_at_ns <= working.now_ns())) {
    return R::kPendingTransferExpired;
  }
  if (post) {
    const Account& dr = *working.FindAccount(p.debit_account_id);
    const Account& cr = *working.FindAccount(p.credit_account_id);
    if (Overflows(dr.debits_posted_msat, t->amount_msat)) return R::kOverflowsDebitsPosted;
    if (Overflows(cr.credits_posted_msat, t->amount_msat)) return R::kOverflowsCreditsPosted;
  }
  *pending = &p;
  return R::kOk;
}

}  // namespace bitcontent::ledger
