// How the wallet's own transfers (payments, payout holds and decisions, deposit
// credits) turn the ledger's per-transfer result into a status a member can act on.
#pragma once

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "libs/ledger/ledger.h"

namespace bitcontent::wallet {

// OK for OK and EXISTS. INSUFFICIENT_FUNDS (FAILED_PRECONDITION) when the payer cannot
// cover the amount; IDEMPOTENCY_KEY_REUSED when the derived id was used before for
// something else (or failed before); NOT_FOUND for a missing account; INTERNAL for
// results a well-formed wallet transfer cannot get.
absl::Status StatusOfResult(ledger::CreateTransferResult result);

// Submits `transfers` (one, or one linked chain) and returns the status of the first
// that did not succeed, or of the call. An amount that would overflow an account's sums
// is INSUFFICIENT_FUNDS when the paying wallet cannot cover it (it never could), and
// OUT_OF_RANGE without the ledger's result name otherwise.
absl::Status Submit(ledger::Ledger* ledger, absl::Span<const ledger::Transfer> transfers);

}  // namespace bitcontent::wallet
