// Account: one double-entry account of the ledger, as the engine holds and stores it.
//
// Balances are integer millisatoshi maintained by the ledger (zero on create). Flags are
// bits of AccountFlag; the semantics are those of LedgerAccount in
// proto/bitcontent/wallet/v1/ledger.proto.
#pragma once

#include <cstdint>

#include "libs/ledger/id.h"

namespace bitcontent::ledger {

enum AccountFlag : uint16_t {
  // This account and the next one of the batch are created together or not at all.
  kAccountLinked = 1 << 0,
  // debits_pending + debits_posted may never exceed credits_posted.
  kDebitsMustNotExceedCredits = 1 << 1,
  // credits_pending + credits_posted may never exceed debits_posted.
  kCreditsMustNotExceedDebits = 1 << 2,
};
inline constexpr uint16_t kAccountFlagsKnown =
    kAccountLinked | kDebitsMustNotExceedCredits | kCreditsMustNotExceedDebits;

struct Account {
  Id id = {};
  uint64_t debits_pending_msat = 0;
  uint64_t debits_posted_msat = 0;
  uint64_t credits_pending_msat = 0;
  uint64_t credits_posted_msat = 0;
  Id user_data_128 = {};
  uint64_t user_data_64 = 0;
  uint32_t user_data_32 = 0;
  uint32_t ledger = 0;
  uint16_t code = 0;
  uint16_t flags = 0;
  uint64_t timestamp_ns = 0;

  friend bool operator==(const Account&, const Account&) = default;
};

// True when the account's balances respect its flags' constraint.
inline bool WithinConstraints(const Account& a) {
  if ((a.flags & kDebitsMustNotExceedCredits) &&
      a.debits_pending_msat + a.debits_posted_msat > a.credits_posted_msat) {
    return false;
  }
  if ((a.flags & kCreditsMustNotExceedDebits) &&
      a.credits_pending_msat + a.credits_posted_msat > a.debits_posted_msat) {
    return false;
  }
  return true;
}

}  // namespace bitcontent::ledger
