// DepositStore: the chain watcher's records in the wallet's Store: deposits by
// txid:vout, each user's deposits newest first, each user's unconfirmed sum, the
// deposits still confirming (followed at every poll), the listsinceblock cursor and
// counters.
//
// Reads are safe from any thread. Writes go through Commit, one DepositChanges at a time
// (Commit serialises them), each as one synced WriteBatch: deposit records, the indexes
// and counters derived from them, and the cursor change together or not at all. The
// indexes are derived here from each record's before and after, so callers only say
// what a deposit becomes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"
#include "libs/store/store.h"
#include "services/wallet/chain_records.pb.h"

namespace bitcontent::wallet {

// txid || vout -> DepositRecord.
inline constexpr std::string_view kDepositsFamily = "chain_deposits";
// user id || '/' || sequence -> txid || vout: a user's deposits in detection order.
inline constexpr std::string_view kUserDepositsFamily = "chain_user_deposits";
// user id -> sum of the user's CONFIRMING deposits in msat (8 bytes); absent when 0.
inline constexpr std::string_view kUserUnconfirmedFamily = "chain_user_unconfirmed";
// txid || vout -> "": every CONFIRMING deposit, those due for a credit included.
inline constexpr std::string_view kConfirmingFamily = "chain_confirming";
// "cursor" -> ChainCursor, "counters" -> ChainCounters.
inline constexpr std::string_view kChainMetaFamily = "chain_meta";

// The families above; the wallet opens its Store with these plus ledger::ColumnFamilies().
std::vector<std::string> ChainWatcherColumnFamilies();

inline constexpr int32_t kDepositPageSizeDefault = 50;
inline constexpr int32_t kDepositPageSizeMax = 100;
// Changes one Commit takes; a poll with more commits in several batches.
inline constexpr size_t kDepositChangesMax = 10'000;
// CONFIRMING deposits the watcher follows at once; more is refused (ResourceExhausted)
// rather than read without bound at every poll.
inline constexpr size_t kConfirmingDepositsMax = 100'000;

// The key of deposit txid:vout.
std::string DepositKey(std::string_view txid, uint32_t vout);
// "users/{user}/wallet/deposits/{txid}:{vout}".
std::string DepositName(std::string_view user_id, std::string_view txid, uint32_t vout);

// Deposit records to commit together, optionally with a new cursor.
class DepositChanges {
 public:
  // `before` is the stored record (nullopt for a deposit seen for the first time) and
  // `after` what it becomes. One change per deposit.
  void Put(std::optional<storage::DepositRecord> before, storage::DepositRecord after);
  void SetCursor(storage::ChainCursor cursor) { cursor_ = std::move(cursor); }

  size_t size() const { return changes_.size(); }
  bool empty() const { return changes_.empty() && !cursor_.has_value(); }

 private:
  friend class DepositStore;
  struct Change {
    std::optional<storage::DepositRecord> before;
    storage::DepositRecord after;
  };
  std::vector<Change> changes_;
  std::optional<storage::ChainCursor> cursor_;
};

class DepositStore {
 public:
  // `store` must have been opened with ChainWatcherColumnFamilies() and outlive this.
  explicit DepositStore(store::Store* store);

  // The record of txid:vout, nullopt when never seen.
  absl::StatusOr<std::optional<storage::DepositRecord>> Find(std::string_view txid,
                                                             uint32_t vout) const;
  // The records of several deposits at once (at most store::kMultiGetKeysMax keys).
  absl::StatusOr<std::vector<std::optional<storage::DepositRecord>>> FindMany(
      const std::vector<std::string>& keys) const;
  // The cursor of the last recorded poll; empty block hash before the first.
  absl::StatusOr<storage::ChainCursor> Cursor() const;
  absl::StatusOr<storage::ChainCounters> Counters() const;

  // The user's deposits, newest first. page_size 0 means 50, above 100 means 100,
  // negative is InvalidArgument; page_token is empty or a next_page_token of this list.
  absl::StatusOr<v1::ListDepositsResponse> List(std::string_view user_id, int32_t page_size,
                                                std::string_view page_token) const;
  // Sum of the user's CONFIRMING deposits (not yet in the ledger).
  absl::StatusOr<uint64_t> UnconfirmedMsat(std::string_view user_id) const;
  // Every CONFIRMING deposit, in txid order; ResourceExhausted beyond
  // kConfirmingDepositsMax.
  absl::StatusOr<std::vector<storage::DepositRecord>> Confirming() const;

  // Commits `changes` (at most kDepositChangesMax) with sync=true.
  absl::Status Commit(const DepositChanges& changes);

 private:
  store::Store* const store_;
  const store::ColumnFamily deposits_;
  const store::ColumnFamily user_deposits_;
  const store::ColumnFamily user_unconfirmed_;
  const store::ColumnFamily confirming_;
  const store::ColumnFamily meta_;
  absl::Mutex commit_mu_;
};

}  // namespace bitcontent::wallet
