// IndexWriter: the ledger's query indexes (each account's history, the reference index)
// in a store of their own, written off the commit path.
//
// Why: with both index entries of every transfer in the commit's WriteBatch, indexing
// was most of a commit's memtable work (16,000 inserts for 8,000 transfers), done on the
// writer's thread while every caller of the commit waited. Now the writer hands each
// durable commit's new transfers to this class's thread, which indexes them while the
// writer goes on with the next commit: on two cores the two run at once. A second store
// because RocksDB inserts one store's writes into its memtables one write at a time.
//
// It gathers commits before writing them: an account's entries of every commit since the
// last write go under one key (at most kHistoryGroupEntriesMax entries), so a write of
// many commits inserts about one key per account instead of one per account per
// commit; those skip-list inserts into a large memtable were most of this thread's
// work. It writes when kIndexBufferEntriesMax entries wait, when the oldest has waited
// kIndexBufferAgeMax, and at once when a reader waits for the index (WaitIndexed), so a
// list never waits on the gathering.
//
// The index store needs no WAL: the ledger's events family already lists every new
// transfer of every commit, durably and in order. Each index write records how far the
// index reaches (kIndexedThroughKey) in the same write, so whatever part of the index a
// crash leaves on disk says where it ends, and Ledger::Open indexes the commits after
// that again (index_catch_up.cc). Readers call WaitIndexed with the timestamp of the
// last commit first, so a list never misses a commit acknowledged before it began.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "libs/ledger/transfer.h"
#include "libs/store/store.h"
#include "libs/store/write_batch.h"

namespace bitcontent::ledger {

// Commits queued for indexing before the writer waits for the index to catch up.
inline constexpr size_t kIndexQueueCommitsMax = 2;
// The longest a list waits for the index to reach the last commit.
inline constexpr absl::Duration kIndexWaitMax = absl::Seconds(10);
// History entries gathered before a write (25 bytes each in memory).
inline constexpr size_t kIndexBufferEntriesMax = size_t{1} << 19;
// The longest a gathered commit waits for its write while nobody reads.
inline constexpr absl::Duration kIndexBufferAgeMax = absl::Seconds(1);
// Entries in one history key: a fee account in every transfer still gets keys of a
// bounded size (6.4 KB), which a page of a list reads whole.
inline constexpr size_t kHistoryGroupEntriesMax = 256;

// Opens (or creates) an index store at `path` with IndexColumnFamilies() and
// IndexColumnFamilyOptions().
absl::StatusOr<std::unique_ptr<store::Store>> OpenIndexStore(const std::string& path);

class IndexWriter {
 public:
  // Resolves the families of `store`, which must have been opened with OpenIndexStore
  // and must outlive this.
  explicit IndexWriter(store::Store* store);
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;
  // Indexes what is queued, then stops.
  ~IndexWriter();

  // How far the stored index reaches: every commit with timestamps up to it is indexed
  // (0 for an empty index).
  absl::StatusOr<uint64_t> StoredThrough() const;
  // Indexes `transfers` with whatever is gathered and records that the index reaches
  // `through_ns`, on the calling thread. Only before Start (Ledger::Open catching up).
  absl::Status Write(absl::Span<const Transfer> transfers, uint64_t through_ns);
  // Starts indexing queued commits; the index reaches `through_ns` now.
  void Start(uint64_t through_ns);

  // Queues the new transfers of one durable commit whose last timestamp is
  // `through_ns`; waits while kIndexQueueCommitsMax are queued. After a failed index
  // write it drops them: the index is rebuilt at the next Open.
  void Add(std::vector<Transfer> transfers, uint64_t through_ns);
  // Waits until every commit through `timestamp_ns` is indexed, having the index thread
  // write what it gathered at once. The index store's error if a write failed;
  // Unavailable if `timeout` passes first.
  absl::Status WaitIndexed(uint64_t timestamp_ns, absl::Duration timeout) const;

  const store::Store& store() const { return *store_; }
  store::ColumnFamily account_transfers() const { return account_transfers_; }
  store::ColumnFamily references() const { return references_; }

 private:
  struct Commit {
    std::vector<Transfer> transfers;
    uint64_t through_ns = 0;
  };
  // One entry of the reference index, before encoding.
  struct Reference {
    Id user_data_128;
    uint64_t timestamp_ns;
    Id transfer_id;
    bool operator<(const Reference& other) const;
  };
  // Commits indexed in memory, not yet written.
  struct Gathered {
    // Each account's entries since the last write, oldest first (AppendHistoryEntry).
    absl::flat_hash_map<Id, std::string> groups;
    // Groups that reached kHistoryGroupEntriesMax, with their accounts.
    std::vector<std::pair<Id, std::string>> full_groups;
    std::vector<Reference> references;
    size_t entries = 0;
    uint64_t through_ns = 0;
    absl::Time first_at = absl::InfiniteFuture();  // when the oldest was gathered
  };
  void Gather(absl::Span<const Transfer> transfers, uint64_t through_ns);
  void AppendEntry(const Id& account, uint64_t timestamp_ns, char side, const Id& transfer_id);
  // Writes what is gathered and the mark, then forgets it.
  absl::Status WriteGathered();
  void Loop();

  store::Store* const store_;
  const store::ColumnFamily account_transfers_;
  const store::ColumnFamily references_;
  const store::ColumnFamily meta_;
  // Used by one thread at a time (Open's, then Loop's).
  Gathered gathered_;
  store::WriteBatch batch_;

  mutable absl::Mutex mu_;
  // Commits the index thread has not taken yet (it takes them all at once).
  std::deque<Commit> queue_ ABSL_GUARDED_BY(mu_);
  uint64_t indexed_through_ns_ ABSL_GUARDED_BY(mu_) = 0;
  // Readers in WaitIndexed: the index thread writes what it gathered at once.
  mutable int readers_waiting_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace bitcontent::ledger
