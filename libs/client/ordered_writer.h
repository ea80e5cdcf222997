// OrderedWriter: a download's chunks, fetched by several threads in any order, written to
// a stream (standard output, a pipe) in order. A stream cannot be written at offsets as
// a file can, so a chunk that opens before the ones ahead of it waits in memory; to bound
// that memory a thread may fetch a chunk only within `window` chunks of the first one not
// yet written (WaitForTurn), so at most `window` chunks are ever held.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace bitcontent::client {

class OrderedWriter {
 public:
  // Writes to `fd` (not owned), named `shown` in messages, chunks 0, 1, 2, ... `window` >= 1.
  OrderedWriter(int fd, std::string shown, uint32_t window);

  // Waits until chunk `index` may be fetched (it is within the window), or the writer is
  // cancelled (CANCELLED) or has failed (its error). Thread-safe.
  absl::Status WaitForTurn(uint32_t index);
  // Hands over chunk `index` (each index once), and writes it with every chunk after it
  // that is already here, in order. A failed write fails this call and every later one.
  // Thread-safe.
  absl::Status Put(uint32_t index, std::string bytes);
  // Wakes every thread waiting for its turn, to give up (the download failed elsewhere).
  void Cancel();

  // Chunks written so far.
  uint32_t written() const;

 private:
  absl::Status WriteLocked(const std::string& bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int fd_;
  const std::string shown_;
  const uint32_t window_;
  mutable absl::Mutex mu_;
  uint32_t next_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint32_t, std::string> waiting_ ABSL_GUARDED_BY(mu_);
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace bitcontent::client
