// Outbox: a durable queue of messages for another service, in one column family. A
// change stages its message in the same WriteBatch as the change itself, so the message
// is committed exactly when the change is; a background sender (the service's own)
// reads the oldest entries, delivers them, and removes them. A crash or an outage of the
// receiver delays delivery but never loses a message; a crash between delivery and
// removal delivers it again, so receivers must be idempotent.
//
// Keys are a sequence number (8 bytes big-endian), so entries come out in the order
// they were staged. Two batches that commit concurrently may become visible in either
// order; a batch staged after another committed (under a lock the two share, say)
// always comes after it.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/store/store.h"
#include "libs/store/write_batch.h"

namespace bitcontent::store {

class Outbox {
 public:
  struct Entry {
    std::string key = {};  // to remove it once delivered
    std::string value = {};
  };

  // Goes on after the last entry queued in `family` (read here: the queue is short, as
  // its sender drains it). `store` must outlive this.
  Outbox(Store& store, ColumnFamily family);

  // Adds `value` to `batch` as the newest entry; returns its sequence number. Call
  // Notify() once the batch committed.
  uint64_t Stage(WriteBatch* batch, std::string_view value);

  // Wakes the sender: a batch with staged entries has committed.
  void Notify();

  // Waits until Notify() or `timeout`, whichever comes first.
  void WaitForWork(absl::Duration timeout);

  // The oldest entries, at most `limit`.
  absl::StatusOr<std::vector<Entry>> Oldest(size_t limit) const;

  // Deletes delivered (or no longer useful) entries. Not synced: losing a deletion in a
  // crash only delivers the entry once more.
  absl::Status Remove(const std::vector<Entry>& entries);

  // Waits until the entry numbered `sequence` is gone (the sender delivered it), or
  // `timeout` passed: false then. True at once for an entry whose batch never committed.
  bool AwaitRemoval(uint64_t sequence, absl::Duration timeout);

 private:
  Store& store_;
  const ColumnFamily family_;
  std::atomic<uint64_t> next_sequence_;
  absl::Mutex mu_;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t removals_ ABSL_GUARDED_BY(mu_) = 0;  // Remove calls, for AwaitRemoval
};

}  // namespace bitcontent::store
