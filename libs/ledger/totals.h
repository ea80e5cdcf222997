// Totals: the ledger-wide running sums, persisted with every commit. Double entry means
// debits_posted == credits_posted and debits_pending == credits_pending always; the
// writer asserts both after every batch. Sums are 128-bit so they cannot overflow.
#pragma once

#include <cstdint>

namespace bitcontent::ledger {

__extension__ typedef unsigned __int128 Sum;

struct Totals {
  uint64_t account_count = 0;
  uint64_t transfer_count = 0;
  Sum debits_pending_msat = 0;
  Sum debits_posted_msat = 0;
  Sum credits_pending_msat = 0;
  Sum credits_posted_msat = 0;
  // The timestamp of the newest account, transfer or expiry; 0 for an empty ledger.
  uint64_t last_timestamp_ns = 0;

  bool Balanced() const {
    return debits_posted_msat == credits_posted_msat && debits_pending_msat == credits_pending_msat;
  }
  friend bool operator==(const Totals&, const Totals&) = default;
};

}  // namespace bitcontent::ledger
