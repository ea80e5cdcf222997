// TransferLock: one `bitcontent put` or `get` at a time on the same local transfer state.
// A put keeps what it needs to resume in the config directory, and a get writes
// "<file>.bitcontent-part" beside its target; two runs on the same state would overwrite each
// other's keys and chunks. The lock is an flock(2) on a file, held while the transfer
// runs and let go by the kernel when the process ends, however it ends (a kill -9
// leaves no stale lock). A second run does not wait: it is refused at once.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::client {

class TransferLock {
 public:
  // Locks `path` (created empty with `mode` less the umask when missing: a download's
  // file is made as files are, 0644; a lock in the config directory 0600, as all there).
  // FAILED_PRECONDITION with `busy` as the message when another process holds it;
  // UNAVAILABLE when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<TransferLock>> Acquire(const std::string& path,
                                                               absl::string_view busy,
                                                               mode_t mode = 0644);
  // Lets the lock go (the file stays).
  ~TransferLock();
  TransferLock(const TransferLock&) = delete;
  TransferLock& operator=(const TransferLock&) = delete;

  // Removes the lock's file while still holding the lock, for a lock file of its own
  // (not one holding data): a run that opened it meanwhile finds it gone and opens the
  // new one, so no two runs ever hold locks on different files of the same path.
  void RemoveFile();

  // Whether some process holds the lock on `path` now (false when there is no file). It
  // probes by taking the lock for an instant, which Acquire allows for.
  static bool Held(const std::string& path);

 private:
  TransferLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  const std::string path_;
  const int fd_;
};

}  // namespace bitcontent::client
