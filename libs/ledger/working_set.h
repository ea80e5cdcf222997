// WorkingSet: what one commit changes, held in memory until its WriteBatch is durable.
//
// The writer builds one per commit. Reads go through it (its own changes first, then
// the committed accounts map and what Prefetch read from the store), so later events of
// a batch see earlier ones. Changes made between BeginChain and RollbackChain are undone
// exactly, which is how a failed linked chain leaves no trace. Nothing here touches the
// store except Prefetch; Stage turns the changes into WriteBatch operations.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "libs/ledger/account.h"
#include "libs/ledger/record_codec.h"
#include "libs/ledger/totals.h"
#include "libs/ledger/transfer.h"
#include "libs/store/store.h"
#include "libs/store/write_batch.h"

namespace bitcontent::ledger {

using AccountMap = absl::flat_hash_map<Id, Account>;
// The accounts one commit changed; node-based, so references from MutableAccount stay
// valid while other accounts are added (a transfer holds both of its accounts).
using ChangedAccounts = absl::node_hash_map<Id, Account>;

// The families a commit writes, resolved once.
struct Families {
  store::ColumnFamily accounts;
  store::ColumnFamily transfers;
  store::ColumnFamily pending;
  store::ColumnFamily expiry;
  store::ColumnFamily events;
  store::ColumnFamily meta;
};

class WorkingSet {
 public:
  // `committed` must not change while this lives. Timestamps start after
  // totals.last_timestamp_ns and are at least now_ns.
  WorkingSet(const AccountMap& committed, const Totals& totals, uint64_t now_ns);

  // Reads the stored state of `transfer_ids` and the pending states of `pending_ids`
  // (MultiGet, in chunks); every id a batch names must be prefetched before it applies.
  absl::Status Prefetch(const store::Store& store, const Families& families,
                        absl::Span<const Id> transfer_ids, absl::Span<const Id> pending_ids);

  // Room for a commit of `transfers` transfers, so its maps do not grow (and rehash)
  // while it applies.
  void Reserve(size_t transfers);

  uint64_t now_ns() const { return now_ns_; }
  // The timestamp the next event gets, without taking it.
  uint64_t PeekTimestamp() const;
  uint64_t TakeTimestamp();

  const Account* FindAccount(const Id& id) const;
  // The account, copied into this set on first change. Requires FindAccount(id).
  Account& MutableAccount(const Id& id);
  void CreateAccount(const Account& account);

  // The stored or new transfer or failure under `id`; nullptr when the id is unused.
  const StoredId* FindId(const Id& id) const;
  void CreateTransfer(const Transfer& transfer);
  // Remembers that `id` failed with `failure`. Requires FindId(id) == nullptr.
  void RecordFailure(const Id& id, CreateTransferResult failure);

  const PendingState* FindPending(const Id& id) const;
  // Sets the pending state; Stage indexes a new expiring hold by its deadline and
  // drops the index entry of one that stops being pending.
  void SetPending(const Id& id, const PendingState& state);
  void AddExpiredEvent(uint64_t timestamp_ns, const Id& pending_id);

  // What this commit changed, for the writer's bookkeeping after the commit.
  const ChangedAccounts& changed_accounts() const { return accounts_; }
  const absl::flat_hash_map<Id, PendingState>& changed_pending() const { return pending_; }
  size_t event_count() const { return events_.size(); }
  // The transfers this commit created, in commit order, for the index store.
  std::vector<Transfer> NewTransfers() const;
  const AccountMap& committed_accounts() const { return committed_; }

  Totals& totals() { return totals_; }
  const Totals& totals() const { return totals_; }

  void BeginChain();
  void CommitChain();
  void RollbackChain();

  // Adds every change to `batch`, asserting the invariants on what it writes.
  void Stage(const Families& families, store::WriteBatch* batch) const;

 private:
  struct Undo {
    enum Kind : uint8_t { kAccount, kId, kPending } kind = kAccount;
    Id id = {};
    std::optional<Account> account = std::nullopt;  // the previous working value, if any
    std::optional<PendingState> pending = std::nullopt;
  };

  struct Mark {
    Totals totals;
    size_t new_transfers;
    size_t new_accounts;
    size_t events;
    size_t undo;
  };

  const AccountMap& committed_;
  const uint64_t now_ns_;
  Totals totals_;

  ChangedAccounts accounts_;  // changed or created in this commit
  std::vector<Id> new_accounts_;
  absl::flat_hash_map<Id, StoredId> stored_ids_;  // prefetched, found
  absl::flat_hash_map<Id, StoredId> new_ids_;     // created or failed in this commit
  std::vector<Id> new_transfers_;                 // commit order
  absl::flat_hash_map<Id, PendingState> stored_pending_;
  absl::flat_hash_map<Id, PendingState> pending_;  // changed in this commit
  std::vector<EventEntry> events_;

  bool in_chain_ = false;
  Mark mark_ = {};
  std::vector<Undo> undo_;
};

}  // namespace bitcontent::ledger
