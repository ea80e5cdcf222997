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
  // Indexes `transfers` and records that the index reaches `through_ns`, on the calling
  // thread. Only before Start (Ledger::Open catching up).
  absl::Status Write(absl::Span<const Transfer> transfers, uint64_t through_ns);
  // Starts indexing queued commits; the index reaches `through_ns` now.
  void Start(uint64_t through_ns);

  // Queues the new transfers of one durable commit whose last timestamp is
  // `through_ns`; waits while kIndexQueueCommitsMax are queued. After a failed index
  // write it drops them: the index is rebuilt at the next Open.
  void Add(std::vector<Transfer> transfers, uint64_t through_ns);
  // Waits until every commit through `timestamp_ns` is indexed. The index store's error
  // if a write failed; Unavailable if `timeout` passes first.
  absl::Status WaitIndexed(uint64_t timestamp_ns, absl::Duration timeout) const;

  const store::Store& store() const { return *store_; }
  store::ColumnFamily account_transfers() const { return account_transfers_; }
  store::ColumnFamily references() const { return references_; }

 private:
  struct Commit {
    std::vector<Transfer> transfers;
    uint64_t through_ns = 0;
  };
  void Loop();

  store::Store* const store_;
  const store::ColumnFamily account_transfers_;
  const store::ColumnFamily references_;
  const store::ColumnFamily meta_;
  // Used by Write only, which one thread at a time calls (Open's, then Loop's).
  store::WriteBatch batch_;

  mutable absl::Mutex mu_;
  // The front one is being indexed until Loop pops it.
  std::deque<Commit> queue_ ABSL_GUARDED_BY(mu_);
  uint64_t indexed_through_ns_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace bitcontent::ledger
