#include "libs/ledger/apply.h"

#include "libs/ledger/checks.h"
#include "libs/ledger/invariant.h"

namespace bitcontent::ledger {
namespace {

constexpr uint64_t kNanosecondsPerSecond = 1'000'000'000;

using AR = CreateAccountResult;
using TR = CreateTransferResult;

// The half-open chains of a batch: [begin, end) where every event but the last is linked.
// Calls apply(begin, end, open) for each, open when the batch ends inside the chain.
template <typename Event, typename Apply>
void ForEachChain(absl::Span<const Event> events, uint16_t linked_flag, Apply apply) {
  size_t begin = 0;
  while (begin < events.size()) {
    size_t end = begin;
    while (end < events.size() && (events[end].flags & linked_flag)) ++end;
    const bool open = end == events.size();
    if (!open) ++end;
    apply(begin, end, open);
    begin = end;
  }
}

// Runs one chain: every event through apply_one, all or nothing. On failure the chain's
// changes are rolled back, the failing event keeps its own result and the others get
// LINKED_EVENT_FAILED. Returns the index of the failing event, or `end`.
template <typename Result, typename ApplyOne>
size_t RunChain(WorkingSet* working, size_t begin, size_t end, Result ok, Result exists,
                Result linked_failed, std::vector<Result>* results, ApplyOne apply_one) {
  const bool chained = end - begin > 1;
  if (chained) working->BeginChain();
  for (size_t i = begin; i < end; ++i) {
    const Result r = apply_one(i);
    (*results)[i] = r;
    if (r == ok || r == exists) continue;
    if (chained) {
      working->RollbackChain();
      for (size_t k = begin; k < end; ++k) {
        if (k != i) (*results)[k] = linked_failed;
      }
    }
    return i;
  }
  if (chained) working->CommitChain();
  return end;
}

AR ApplyAccount(WorkingSet* working, const Account& account) {
  const AR r = CheckAccount(*working, account);
  if (r != AR::kOk) return r;
  Account created = account;
  created.timestamp_ns = working->TakeTimestamp();
  working->CreateAccount(created);
  return AR::kOk;
}

void ApplySinglePhase(WorkingSet* working, const Transfer& t) {
  Transfer created = t;
  created.timestamp_ns = working->TakeTimestamp();
  Account& dr = working->MutableAccount(t.debit_account_id);
  Account& cr = working->MutableAccount(t.credit_account_id);
  Totals& totals = working->totals();
  if (t.flags & kPending) {
    dr.debits_pending_msat += t.amount_msat;
    cr.credits_pending_msat += t.amount_msat;
    totals.debits_pending_msat += t.amount_msat;
    totals.credits_pending_msat += t.amount_msat;
    const uint64_t expires_at_ns =
        t.timeout_seconds == 0
            ? 0
            : created.timestamp_ns + uint64_t{t.timeout_seconds} * kNanosecondsPerSecond;
    working->SetPending(t.id, {.status = PendingStatus::kPending, .expires_at_ns = expires_at_ns});
  } else {
    dr.debits_posted_msat += t.amount_msat;
    cr.credits_posted_msat += t.amount_msat;
    totals.debits_posted_msat += t.amount_msat;
    totals.credits_posted_msat += t.amount_msat;
  }
  working->CreateTransfer(created);
}

// `t` is resolved: accounts, ledger, code and amount come from `pending`.
void ApplyPostOrVoid(WorkingSet* working, const Transfer& t, const Transfer& pending) {
  Transfer created = t;
  created.timestamp_ns = working->TakeTimestamp();
  Account& dr = working->MutableAccount(pending.debit_account_id);
  Account& cr = working->MutableAccount(pending.credit_account_id);
  Totals& totals = working->totals();
  LEDGER_ASSERT(dr.debits_pending_msat >= pending.amount_msat);
  LEDGER_ASSERT(cr.credits_pending_msat >= pending.amount_msat);
  dr.debits_pending_msat -= pending.amount_msat;
  cr.credits_pending_msat -= pending.amount_msat;
  totals.debits_pending_msat -= pending.amount_msat;
  totals.credits_pending_msat -= pending.amount_msat;
  const PendingState* before = working->FindPending(pending.id);
  LEDGER_ASSERT(before != nullptr);
  PendingState state = *before;
  state.resolved_timestamp_ns = created.timestamp_ns;
  if (t.flags & kPostPendingTransfer) {
    dr.debits_posted_msat += t.amount_msat;
    cr.credits_posted_msat += t.amount_msat;
    totals.debits_posted_msat += t.amount_msat;
    totals.credits_posted_msat += t.amount_msat;
    state.status = PendingStatus::kPosted;
    state.posted_amount_msat = t.amount_msat;
  } else {
    state.status = PendingStatus::kVoided;
  }
  working->SetPending(pending.id, state);
  working->CreateTransfer(created);
}

TR ApplyTransfer(WorkingSet* working, const Transfer& t) {
  TR r = CheckTransferFields(t);
  if (r != TR::kOk) return r;
  if (!t.post_or_void()) {
    r = CheckSinglePhase(*working, t, working->PeekTimestamp());
    if (r == TR::kOk) ApplySinglePhase(working, t);
    return r;
  }
  Transfer resolved = t;
  const Transfer* pending = nullptr;
  r = CheckPostOrVoid(*working, &resolved, &pending);
  if (r == TR::kOk) ApplyPostOrVoid(working, resolved, *pending);
  return r;
}

}  // namespace

bool RemembersFailure(CreateTransferResult result) {
  switch (result) {
    case TR::kDebitAccountNotFound:
    case TR::kCreditAccountNotFound:
    case TR::kPendingTransferNotFound:
    case TR::kExceedsCredits:
    case TR::kExceedsDebits:
      return true;
    default:
      return false;
  }
}

std::vector<CreateAccountResult> ApplyAccounts(WorkingSet* working,
                                               absl::Span<const Account> accounts) {
  std::vector<AR> results(accounts.size(), AR::kUnspecified);
  ForEachChain(accounts, kAccountLinked, [&](size_t begin, size_t end, bool open) {
    if (open) {
      for (size_t i = begin; i + 1 < end; ++i) results[i] = AR::kLinkedEventFailed;
      results[end - 1] = AR::kLinkedEventChainOpen;
      return;
    }
    RunChain(working, begin, end, AR::kOk, AR::kExists, AR::kLinkedEventFailed, &results,
             [&](size_t i) { return ApplyAccount(working, accounts[i]); });
  });
  return results;
}

std::vector<CreateTransferResult> ApplyTransfers(WorkingSet* working,
                                                 absl::Span<const Transfer> transfers) {
  std::vector<TR> results(transfers.size(), TR::kUnspecified);
  ForEachChain(transfers, kTransferLinked, [&](size_t begin, size_t end, bool open) {
    if (open) {
      for (size_t i = begin; i + 1 < end; ++i) results[i] = TR::kLinkedEventFailed;
      results[end - 1] = TR::kLinkedEventChainOpen;
      return;
    }
    const size_t failed =
        RunChain(working, begin, end, TR::kOk, TR::kExists, TR::kLinkedEventFailed, &results,
                 [&](size_t i) { return ApplyTransfer(working, transfers[i]); });
    // Remembered after any rollback, so the failure outlives its chain.
    if (failed != end && RemembersFailure(results[failed]) &&
        working->FindId(transfers[failed].id) == nullptr) {
      working->RecordFailure(transfers[failed].id, results[failed]);
    }
  });
  return results;
}

void ExpireHold(WorkingSet* working, const Id& pending_id) {
  const PendingState* before = working->FindPending(pending_id);
  const StoredId* stored = working->FindId(pending_id);
  LEDGER_ASSERT(before != nullptr && stored != nullptr && stored->transfer.has_value());
  if (before->status != PendingStatus::kPending) return;
  const Transfer& p = *stored->transfer;
  const uint64_t timestamp_ns = working->TakeTimestamp();
  Account& dr = working->MutableAccount(p.debit_account_id);
  Account& cr = working->MutableAccount(p.credit_account_id);
  LEDGER_ASSERT(dr.debits_pending_msat >= p.amount_msat);
  LEDGER_ASSERT(cr.credits_pending_msat >= p.amount_msat);
  dr.debits_pending_msat -= p.amount_msat;
  cr.credits_pending_msat -= p.amount_msat;
  working->totals().debits_pending_msat -= p.amount_msat;
  working->totals().credits_pending_msat -= p.amount_msat;
  PendingState state = *before;
  state.status = PendingStatus::kExpired;
  state.resolved_timestamp_ns = timestamp_ns;
  working->SetPending(pending_id, state);
  working->AddExpiredEvent(timestamp_ns, pending_id);
}

}  // namespace bitcontent::ledger
