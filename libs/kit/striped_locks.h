// StripedLocks: a fixed set of mutexes that keys share, so each owner's read-check-write
// changes are atomic (RocksDB batches are atomic, the reads before them are not) while
// memory stays bounded however many owners there are. Two keys may share a stripe:
// never hold two stripes at once.
#pragma once

#include <array>
#include <cstddef>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace bitcontent::kit {

template <size_t kStripes = 64>
class StripedLocks {
 public:
  // The lock of `key` (a user id, for example).
  absl::Mutex& For(absl::string_view key) {
    return stripes_[absl::Hash<absl::string_view>()(key) % kStripes];
  }

 private:
  std::array<absl::Mutex, kStripes> stripes_;
};

}  // namespace bitcontent::kit
