// The machinery FileTransfer's uploads and downloads share (file_transfer.h): chunk
// work spread over threads with a connection each, the grant they all carry, progress,
// and file I/O at offsets. Internal to the client engine.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "libs/client/account_client.h"
#include "libs/client/api_client.h"
#include "libs/client/file_transfer.h"
#include "libs/http/headers.h"

namespace bitcontent::client {

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// UNAVAILABLE saying what could not be done to `path`, with errno's words.
absl::Status Errno(absl::string_view what, const std::string& path);

// Reads buffer.size() bytes at `offset`; FAILED_PRECONDITION if the file shrank.
absl::Status ReadFully(int fd, std::string& buffer, uint64_t offset, const std::string& path);

// Writes all of `bytes` at `offset`.
absl::Status WriteFully(int fd, absl::string_view bytes, uint64_t offset, const std::string& path);

// The grant every chunk call carries, renewed once for all threads when it expires.
class SharedGrant {
 public:
  SharedGrant(std::string grant, std::function<absl::StatusOr<std::string>()> renew)
      : grant_(std::move(grant)), renew_(std::move(renew)) {}

  std::string Current() {
    absl::MutexLock lock(&mutex_);
    return grant_;
  }

  // A fresh grant, unless another thread already replaced `used`.
  absl::Status Renew(const std::string& used) {
    absl::MutexLock lock(&mutex_);
    if (grant_ != used) return absl::OkStatus();
    absl::StatusOr<std::string> fresh = renew_();
    if (!fresh.ok()) return fresh.status();
    grant_ = *std::move(fresh);
    return absl::OkStatus();
  }

 private:
  absl::Mutex mutex_;
  std::string grant_ ABSL_GUARDED_BY(mutex_);
  const std::function<absl::StatusOr<std::string>()> renew_;
};

// Sums progress from the transfer threads and reports it, one call at a time.
class ProgressMeter {
 public:
  ProgressMeter(const std::function<void(const TransferProgress&)>& report, uint64_t total,
                uint64_t skipped)
      : report_(report),
        progress_{.done_bytes = skipped, .total_bytes = total, .skipped_bytes = skipped} {
    if (report_) report_(progress_);
  }

  void Add(uint64_t bytes) {
    absl::MutexLock lock(&mutex_);
    progress_.done_bytes += bytes;
    if (report_) report_(progress_);
  }

 private:
  const std::function<void(const TransferProgress&)>& report_;
  absl::Mutex mutex_;
  TransferProgress progress_ ABSL_GUARDED_BY(mutex_);
};

// The member's endpoint: their server and access token, refreshed under a lock (one
// refresh, not one per thread) and reused for half a minute (not read from disk per
// chunk).
TransferEndpoint MemberEndpoint(AccountClient& account);

// Runs `work(index, connection, grant, bearer)` for every index on up to `parallel`
// threads, each with its own connection to the gateway; a transient failure is tried
// again (FileTransfer::kAttemptsMax in all), an expired grant renewed once. The first
// other failure stops the rest, calls `on_failure` (to wake work that waits on other
// work, as an OrderedWriter's does) and is returned.
absl::Status RunParallel(
    const TransferEndpoint& endpoint, int parallel, const std::vector<uint32_t>& indexes,
    SharedGrant& grant,
    const std::function<absl::Status(uint32_t, ApiClient&, const std::string& grant,
                                     const std::string& bearer)>& work,
    const std::function<void()>& on_failure = {});

// The header a blob call carries its grant in.
http::Headers GrantHeaders(const std::string& grant);

}  // namespace bitcontent::client
