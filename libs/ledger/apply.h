// Applying a batch to a WorkingSet: linked chains, the effects of each event on balances
// and pending states, and the expiry of due holds.
//
// These functions only change the WorkingSet (in memory); the writer stages and commits
// it afterwards. Every id the batch names must have been prefetched.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "libs/ledger/account.h"
#include "libs/ledger/results.h"
#include "libs/ledger/transfer.h"
#include "libs/ledger/working_set.h"

namespace bitcontent::ledger {

// Creates `accounts` in order; one result per account.
std::vector<CreateAccountResult> ApplyAccounts(WorkingSet* working,
                                               absl::Span<const Account> accounts);

// Creates `transfers` in order; one result per transfer.
std::vector<CreateTransferResult> ApplyTransfers(WorkingSet* working,
                                                 absl::Span<const Transfer> transfers);

// Releases the pending transfer `pending_id` whose deadline passed: an EXPIRED event.
// Does nothing when the hold is no longer pending.
void ExpireHold(WorkingSet* working, const Id& pending_id);

// True for the failures TigerBeetle calls transient: they depend on the ledger's state
// when they ran, so the id is remembered as failed (ID_ALREADY_FAILED) rather than let a
// retry succeed later with a different answer.
bool RemembersFailure(CreateTransferResult result);

}  // namespace bitcontent::ledger
