// ExpiringCache<V>: immutable values by string key, each until its own expiry, shared
// by threads. Services use it to remember what was costly to establish and stays true
// for a while: a verified access token's claims (an Ed25519 verification saved per
// request), an authenticated caller.
//
// Lookups compare whole keys, so no crafted key can collide with a cached one. An entry
// lives until the earlier of the expiry it was inserted with and `lifetime_max` after
// its insertion. At most `entries_max` entries: when a shard is full, its expired
// entries are dropped, then, if still full, the whole shard (a cache miss costs only
// the work the cache saves).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace bitcontent::kit {

template <typename V>
class ExpiringCache {
 public:
  static constexpr size_t kShards = 16;

  ExpiringCache(size_t entries_max, absl::Duration lifetime_max)
      : shard_entries_max_(std::max<size_t>(1, entries_max / kShards)),
        lifetime_max_(lifetime_max) {}

  // The value cached under `key` if not expired at `now`, else nullptr.
  std::shared_ptr<const V> Find(const std::string& key, absl::Time now) const {
    Shard& shard = ShardOf(key);
    absl::MutexLock lock(&shard.mu);
    const auto found = shard.entries.find(key);
    if (found == shard.entries.end() || found->second.expire <= now) return nullptr;
    return found->second.value;
  }

  // Caches `value` under `key` until min(expire, now + lifetime_max).
  void Insert(const std::string& key, std::shared_ptr<const V> value, absl::Time expire,
              absl::Time now) {
    expire = std::min(expire, now + lifetime_max_);
    if (expire <= now) return;
    Shard& shard = ShardOf(key);
    absl::MutexLock lock(&shard.mu);
    if (shard.entries.size() >= shard_entries_max_) {
      absl::erase_if(shard.entries,
                     [now](const auto& entry) { return entry.second.expire <= now; });
      if (shard.entries.size() >= shard_entries_max_) shard.entries.clear();
    }
    shard.entries.insert_or_assign(key, Entry{std::move(value), expire});
  }

 private:
  struct Entry {
    std::shared_ptr<const V> value;
    absl::Time expire;
  };
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, Entry> entries ABSL_GUARDED_BY(mu);
  };

  Shard& ShardOf(const std::string& key) const {
    return shards_[absl::Hash<std::string>()(key) % kShards];
  }

  const size_t shard_entries_max_;
  const absl::Duration lifetime_max_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace bitcontent::kit
