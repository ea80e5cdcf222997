// Locks that make each member's read-check-write changes atomic. RocksDB batches are
// atomic but reads before them are not, so every change to one member's records (user,
// sessions, API keys, quota) runs under that member's lock, and every change that
// claims an email or a legacy id runs under the creation lock.
//
// Lock order: creation lock first, then one member lock; never two member locks at
// once. Members share a fixed set of stripes, so memory stays bounded however many
// members there are.
#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "libs/kit/striped_locks.h"

namespace bitcontent::accounts {

class UserLocks {
 public:
  static constexpr size_t kStripes = 64;

  // The lock of `user_id`'s records.
  absl::Mutex& ForUser(absl::string_view user_id) { return stripes_.For(user_id); }

  // Held while checking that an email or legacy id is free and claiming it.
  absl::Mutex& Creation() { return creation_; }

 private:
  kit::StripedLocks<kStripes> stripes_;
  absl::Mutex creation_;
};

}  // namespace bitcontent::accounts
