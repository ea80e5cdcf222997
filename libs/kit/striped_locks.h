// StripedLocks: a fixed set of mutexes that keys share, so each owner's read-check-write
// changes are atomic (RocksDB batches are atomic, the reads before them are not) while
// memory stays bounded however many owners there are. Two keys may share a stripe:
// never hold two stripes at once, except all together through ScopedStripes, which takes
// them in one fixed order so that two holders of several never wait on each other.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace bitcontent::kit {

template <size_t kStripes = 64>
class StripedLocks {
 public:
  // The lock of `key` (a user id, for example).
  absl::Mutex& For(absl::string_view key) { return stripes_[StripeOf(key)]; }

  // Holds the stripes of all `keys` (each once, in stripe order) while it lives.
  class ScopedStripes {
   public:
    ScopedStripes(StripedLocks& locks, const std::vector<std::string>& keys) {
      for (const std::string& key : keys) held_.push_back(StripeOf(key));
      std::sort(held_.begin(), held_.end());
      held_.erase(std::unique(held_.begin(), held_.end()), held_.end());
      for (size_t stripe : held_) locks.stripes_[stripe].Lock();
      locks_ = &locks;
    }
    ~ScopedStripes() {
      for (auto it = held_.rbegin(); it != held_.rend(); ++it) locks_->stripes_[*it].Unlock();
    }
    ScopedStripes(const ScopedStripes&) = delete;
    ScopedStripes& operator=(const ScopedStripes&) = delete;

   private:
    StripedLocks* locks_ = nullptr;
    std::vector<size_t> held_;
  };

 private:
  static size_t StripeOf(absl::string_view key) {
    return absl::Hash<absl::string_view>()(key) % kStripes;
  }

  std::array<absl::Mutex, kStripes> stripes_;
};

}  // namespace bitcontent::kit
