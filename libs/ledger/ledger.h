// Ledger: the Bitcache ledger engine (TigerBeetle's model over libs/store), with no
// knowledge of gRPC. The wallet service owns one per process.
//
//   auto store = store::Store::Open({.path = dir + "/ledger",
//                                    .column_families = ColumnFamilies(),
//                                    .family_options = ColumnFamilyOptions()});
//   auto index_store = OpenIndexStore(dir + "/ledger-index");
//   auto ledger = Ledger::Open(store->get(), index_store->get(), {});
//   auto results = (*ledger)->CreateTransfers(transfers);  // one result per transfer
//
// One writer thread applies submissions in the order they arrive. Submissions that wait
// while a commit is in flight are grouped into the next commit (group commit): one
// WriteBatch with sync=true, so a result is only returned once it is durable. The
// history and reference indexes are written by a second thread to a store of their own
// (index_writer.h). Reads run on the caller's thread against the stores and the
// committed in-memory accounts. Thread-safe. Destroying the Ledger stops the writer;
// the Stores must outlive it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "libs/ledger/account.h"
#include "libs/ledger/clock.h"
#include "libs/ledger/index_writer.h"
#include "libs/ledger/keys.h"
#include "libs/ledger/results.h"
#include "libs/ledger/totals.h"
#include "libs/ledger/transfer.h"
#include "libs/ledger/working_set.h"
#include "libs/store/store.h"
#include "libs/store/write_batch.h"

namespace bitcontent::ledger {

// Events (accounts or transfers) in one CreateAccounts / CreateTransfers call.
inline constexpr size_t kBatchEventsMax = 8'192;
// Events one commit groups together (several calls); a call is never split.
inline constexpr size_t kCommitEventsMax = 4 * kBatchEventsMax;
// Ids in one LookupAccounts / LookupTransfers call, and entries in one page of a list.
inline constexpr size_t kLookupIdsMax = 8'192;
inline constexpr size_t kListLimitMax = 8'192;
// Index entries one list call reads before it returns a partial page with a cursor.
inline constexpr size_t kListScanEntriesMax = 100'000;
// The longest a change feed reader may wait for new events.
inline constexpr absl::Duration kEventsWaitMax = absl::Seconds(60);

// What one durable commit wrote, for metrics.
struct CommitStats {
  // The CreateAccounts / CreateTransfers calls it grouped, and their accounts and
  // transfers, whatever each one's result.
  size_t submissions = 0;
  size_t events = 0;
  // Holds it released by their timeout.
  size_t expired_holds = 0;
  // The ledger-wide sums after it.
  Totals totals = {};
};

struct LedgerOptions {
  // Where time comes from (timestamps, timeouts); nullptr for the system clock. Must
  // outlive the Ledger.
  Clock* clock = nullptr;
  // How often the idle writer looks for holds that are due (with the system clock).
  absl::Duration expiry_poll_interval = absl::Milliseconds(100);
  // When set, called on the writer thread after every durable commit, before the
  // callers of that commit are woken. It must be quick (it delays every commit) and must
  // not call the ledger.
  std::function<void(const CommitStats&)> on_commit = nullptr;
};

// A filter over one account's transfers, like TigerBeetle's AccountFilter. Zero fields
// match everything.
struct AccountTransfersFilter {
  Id account_id = {};
  // Inclusive bounds on timestamp_ns; 0 for none.
  uint64_t timestamp_min_ns = 0;
  uint64_t timestamp_max_ns = 0;
  // Which side(s) the account is on; both false is invalid.
  bool debits = true;
  bool credits = true;
  Id user_data_128 = {};
  uint64_t user_data_64 = 0;
  uint32_t user_data_32 = 0;
  uint16_t code = 0;
  // Continue after this timestamp (before it when reversed): the previous page's cursor.
  uint64_t cursor_timestamp_ns = 0;
  // 1..kListLimitMax.
  size_t limit = 100;
  // Newest first.
  bool reversed = false;
};

// Transfers with one user_data_128 (a purchase, a stream session, a payout).
struct ReferenceFilter {
  Id user_data_128 = {};
  uint64_t cursor_timestamp_ns = 0;
  size_t limit = 100;
  bool reversed = false;
};

struct TransferPage {
  std::vector<Transfer> transfers;
  // Pass as cursor_timestamp_ns for the next page; 0 when there is none.
  uint64_t next_cursor_timestamp_ns = 0;
};

class Ledger {
 public:
  // Rebuilds the in-memory state (accounts, totals, expiry index) from `store`, which
  // must have been opened with ColumnFamilies(), checks that the totals match the
  // accounts, indexes in `index_store` (opened with OpenIndexStore) every commit it does
  // not reach yet, and starts the writer. DataLoss when stored records are malformed or
  // the totals disagree with the accounts.
  static absl::StatusOr<std::unique_ptr<Ledger>> Open(store::Store* store,
                                                      store::Store* index_store,
                                                      LedgerOptions options);
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;
  // Finishes the commit in flight, fails queued submissions with Unavailable, stops.
  ~Ledger();

  // Creates accounts; one result per account, durable when returned. InvalidArgument
  // for more than kBatchEventsMax; the store's error if the commit failed (nothing of it
  // applied).
  absl::StatusOr<std::vector<CreateAccountResult>> CreateAccounts(
      absl::Span<const Account> accounts);
  // Creates transfers (single-phase, pending, post, void); as CreateAccounts.
  absl::StatusOr<std::vector<CreateTransferResult>> CreateTransfers(
      absl::Span<const Transfer> transfers);
  // Commits the expiry of every hold whose deadline has passed, now. The writer also
  // does it before each commit and when idle; tests call this after moving the clock.
  absl::Status ExpireDueHolds();

  // The accounts, nullopt for an unknown id; at most kLookupIdsMax.
  absl::StatusOr<std::vector<std::optional<Account>>> LookupAccounts(
      absl::Span<const Id> ids) const;
  // The committed transfers, nullopt for an unknown (or failed) id; at most kLookupIdsMax.
  absl::StatusOr<std::vector<std::optional<Transfer>>> LookupTransfers(
      absl::Span<const Id> ids) const;
  // The state of the pending transfer `id`; NotFound if it is not a pending transfer.
  absl::StatusOr<PendingState> LookupPending(const Id& id) const;

  // One account's transfers in timestamp order (reversed: newest first).
  absl::StatusOr<TransferPage> ListAccountTransfers(const AccountTransfersFilter& filter) const;
  // The transfers whose user_data_128 is filter.user_data_128, in timestamp order.
  absl::StatusOr<TransferPage> ListTransfersByReference(const ReferenceFilter& filter) const;
  // The change feed: up to `limit` (1..kListLimitMax) events with timestamp_ns greater
  // than `after_timestamp_ns`, oldest first. When there are none yet, waits up to `wait`
  // (at most kEventsWaitMax) for a commit that brings some.
  absl::StatusOr<std::vector<TransferEvent>> ListTransferEvents(uint64_t after_timestamp_ns,
                                                                size_t limit,
                                                                absl::Duration wait) const;

  // The ledger-wide sums as of the last commit.
  Totals totals() const;
  // Commits (WriteBatches) since Open; with many submitters, fewer than submissions.
  uint64_t commit_count() const { return commit_count_.load(); }

 private:
  struct Submission;

  Ledger(store::Store* store, Families families, store::Store* index_store, LedgerOptions options);
  absl::Status Load();
  // Indexes the commits after the index store's mark, up to `committed_ns`.
  absl::Status CatchUpIndexes(uint64_t committed_ns);
  // Waits until the indexes reach the last commit (index_writer.h).
  absl::Status WaitIndexed() const;
  absl::Status Submit(Submission* submission);
  void WriterLoop();
  // Applies and commits `group` (and the due expiries) as one WriteBatch; `*expired`
  // gets the number of holds it released by their timeout.
  absl::Status Commit(absl::Span<Submission* const> group, size_t* expired);
  void MergeCommitted(const WorkingSet& working, const Totals& before)
      ABSL_LOCKS_EXCLUDED(accounts_mu_);
  void UpdateExpiryIndex(const WorkingSet& working);
  absl::StatusOr<std::vector<std::optional<Transfer>>> ReadTransfers(
      absl::Span<const Id> ids) const;

  store::Store* const store_;
  const Families families_;
  const LedgerOptions options_;
  SystemClock system_clock_;
  Clock* const clock_;
  IndexWriter index_;

  mutable absl::Mutex mu_;
  std::vector<Submission*> queue_ ABSL_GUARDED_BY(mu_);
  size_t queued_events_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The last committed totals; readers of the change feed wait on its timestamp.
  Totals totals_ ABSL_GUARDED_BY(mu_);

  // Written by the writer only, under accounts_mu_; read by lookups.
  mutable absl::Mutex accounts_mu_;
  AccountMap accounts_ ABSL_GUARDED_BY(accounts_mu_);

  // Writer thread only: (deadline_ns, pending id) of every hold with a timeout.
  std::set<std::pair<uint64_t, Id>> expiry_index_;
  Totals writer_totals_;
  // Reused by every commit: a batch of 8,000 transfers is megabytes, and a fresh buffer
  // each time would grow by copying and fault its pages in again.
  store::WriteBatch batch_;

  std::atomic<uint64_t> commit_count_ = 0;
  std::thread writer_;
};

}  // namespace bitcontent::ledger
