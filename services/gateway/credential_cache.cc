#include "services/gateway/credential_cache.h"

#include "absl/hash/hash.h"

namespace bitcontent::gateway {

CredentialCache::Shard& CredentialCache::ShardOf(const std::string& key) const {
  return shards_[absl::Hash<std::string>()(key) % kShards];
}

std::shared_ptr<const Caller> CredentialCache::Find(const std::string& key, absl::Time now) const {
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  const auto found = shard.entries.find(key);
  if (found == shard.entries.end() || found->second.expire <= now) return nullptr;
  return found->second.caller;
}

void CredentialCache::Insert(const std::string& key, std::shared_ptr<const Caller> caller,
                             absl::Time now) {
  const absl::Time expire = std::min(caller->expire_time, now + kEntryLifetimeMax);
  if (expire <= now) return;
  Shard& shard = ShardOf(key);
  absl::MutexLock lock(&shard.mu);
  if (shard.entries.size() >= kEntriesMax / kShards) {
    absl::erase_if(shard.entries, [now](const auto& entry) { return entry.second.expire <= now; });
    if (shard.entries.size() >= kEntriesMax / kShards) shard.entries.clear();
  }
  shard.entries.insert_or_assign(key, Entry{std::move(caller), expire});
}

}  // namespace bitcontent::gateway
