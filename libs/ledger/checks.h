// The validation of one account or transfer, in the order the proto lists the result
// codes (the first failing check wins).
//
// The checks only read: applying the effects is apply.cc's job. A transfer is checked in
// two steps: CheckTransferFields needs nothing but the transfer itself; the rest needs
// the accounts and transfers of the working set.
#pragma once

#include "libs/ledger/account.h"
#include "libs/ledger/invariant.h"
#include "libs/ledger/results.h"
#include "libs/ledger/transfer.h"
#include "libs/ledger/working_set.h"

namespace bitcontent::ledger {

// Checks TIMESTAMP_MUST_BE_ZERO through EXISTS for a new account.
CreateAccountResult CheckAccount(const WorkingSet& working, const Account& account);

// Checks TIMESTAMP_MUST_BE_ZERO through CODE_MUST_NOT_BE_ZERO.
CreateTransferResult CheckTransferFields(const Transfer& t);

// Compares a submission with the stored transfer of its id: EXISTS or the first
// EXISTS_WITH_DIFFERENT_* code. For a post or void, `t` must already be resolved
// against its pending transfer.
CreateTransferResult CompareWithExisting(const Transfer& t, const Transfer& existing);

// For a transfer that is neither a post nor a void: the account, existence and balance
// checks (DEBIT_ACCOUNT_NOT_FOUND onwards), with `timestamp_ns` the one it would get.
CreateTransferResult CheckSinglePhase(const WorkingSet& working, const Transfer& t,
                                      uint64_t timestamp_ns);

// For a post or void: checks against the pending transfer and resolves `*t` (accounts,
// ledger, code, amount) from it. Sets *pending to the pending transfer on success.
CreateTransferResult CheckPostOrVoid(const WorkingSet& working, Transfer* t,
                                     const Transfer** pending);

}  // namespace bitcontent::ledger
