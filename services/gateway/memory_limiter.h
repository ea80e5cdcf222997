// MemoryLimiter: fixed-window rate limits kept in this process, the fallback the
// gateway uses while Redis is unreachable. Each gateway replica then counts on its own,
// so a client spread over N replicas gets up to N times its limit: looser, never open.
//
// Memory is bounded: at most kKeysMax keys are tracked; when full, windows that ended
// are dropped first, and if every window is still running the oldest half of a shard is
// forgotten (those clients start a fresh window).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace bitcontent::gateway {

class MemoryLimiter {
 public:
  static constexpr size_t kShards = 16;
  static constexpr size_t kKeysMax = 1 << 17;

  // One request for `key` under `limit` requests per `window`, at `now`. Returns zero
  // when allowed, otherwise how long until the window ends. Thread-safe.
  absl::Duration Hit(const std::string& key, int64_t limit, absl::Duration window, absl::Time now);

 private:
  struct Window {
    absl::Time end;
    int64_t count = 0;
  };
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, Window> windows ABSL_GUARDED_BY(mu);
  };

  static void MakeRoom(Shard& shard, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.mu);

  std::array<Shard, kShards> shards_;
};

}  // namespace bitcontent::gateway
