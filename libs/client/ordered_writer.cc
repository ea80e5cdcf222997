#include "libs/client/ordered_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bitcontent::client {

OrderedWriter::OrderedWriter(int fd, std::string shown, uint32_t window)
    : fd_(fd), shown_(std::move(shown)), window_(window < 1 ? 1 : window) {}

absl::Status OrderedWriter::WaitForTurn(uint32_t index) {
  absl::MutexLock lock(&mu_);
  const auto ready = [this, index]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return cancelled_ || !failure_.ok() || index < next_ + window_;
  };
  mu_.Await(absl::Condition(&ready));
  if (!failure_.ok()) return failure_;
  if (cancelled_) return absl::CancelledError(absl::StrCat("the download to ", shown_, " stopped"));
  return absl::OkStatus();
}

absl::Status OrderedWriter::Put(uint32_t index, std::string bytes) {
  absl::MutexLock lock(&mu_);
  if (!failure_.ok()) return failure_;
  if (index < next_ || waiting_.count(index) > 0) {
    return absl::InternalError(absl::StrCat("chunk ", index, " handed to ", shown_, " twice"));
  }
  waiting_.emplace(index, std::move(bytes));
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first == next_;
       it = waiting_.erase(it)) {
    if (absl::Status s = WriteLocked(it->second); !s.ok()) {
      failure_ = s;
      waiting_.clear();
      return s;
    }
    ++next_;
  }
  return absl::OkStatus();
}

void OrderedWriter::Cancel() {
  absl::MutexLock lock(&mu_);
  cancelled_ = true;
}

uint32_t OrderedWriter::written() const {
  absl::MutexLock lock(&mu_);
  return next_;
}

absl::Status OrderedWriter::WriteLocked(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // Not UNAVAILABLE: the transfer's retries cannot get over a closed pipe or full disk.
      return absl::AbortedError(
          absl::StrCat("cannot write to ", shown_, ": ", std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::client
