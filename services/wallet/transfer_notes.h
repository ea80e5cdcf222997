// TransferNotes: what the wallet knows about a transfer it made that the ledger does
// not hold (memo, reference, idempotency key), keyed by transfer id.
//
// A note is written before its transfer is submitted, unsynced: the ledger's commit
// syncs the same write-ahead log, so a durable transfer always has its note, and a note
// whose transfer failed is never shown. The first note for an id stays; a retry that
// brings a different one is told so. Thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "libs/kit/striped_locks.h"
#include "libs/ledger/id.h"
#include "services/wallet/records.pb.h"
#include "services/wallet/wallet_db.h"

namespace bitcontent::wallet {

class TransferNotes {
 public:
  explicit TransferNotes(const WalletDb& db) : db_(db) {}

  // Stores `note` for `id` unless one is there already; returns the stored note, which
  // the caller compares with its own to detect a reused idempotency key.
  absl::StatusOr<storage::TransferNote> PutIfAbsent(const ledger::Id& id,
                                                    const storage::TransferNote& note);
  // The notes of `ids` in order, nullopt where there is none; at most
  // store::kMultiGetKeysMax.
  absl::StatusOr<std::vector<std::optional<storage::TransferNote>>> Get(
      absl::Span<const ledger::Id> ids) const;

 private:
  const WalletDb& db_;
  kit::StripedLocks<> locks_;
};

// Whether two notes say the same.
bool SameNote(const storage::TransferNote& a, const storage::TransferNote& b);

}  // namespace bitcontent::wallet
