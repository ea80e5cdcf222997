#include "services/gateway/memory_limiter.h"

#include <algorithm>
#include <vector>

#include "absl/hash/hash.h"

namespace bitcontent::gateway {

void MemoryLimiter::MakeRoom(Shard& shard, absl::Time now) {
  absl::erase_if(shard.windows, [now](const auto& entry) { return entry.second.end <= now; });
  if (shard.windows.size() < kKeysMax / kShards) return;
  // Every window still runs: forget those ending soonest, half the shard.
  std::vector<absl::Time> ends;
  ends.reserve(shard.windows.size());
  for (const auto& [key, window] : shard.windows) ends.push_back(window.end);
  const auto middle = ends.begin() + static_cast<std::ptrdiff_t>(ends.size() / 2);
  std::nth_element(ends.begin(), middle, ends.end());
  const absl::Time cut = ends[ends.size() / 2];
  absl::erase_if(shard.windows, [cut](const auto& entry) { return entry.second.end <= cut; });
}

absl::Duration MemoryLimiter::Hit(const std::string& key, int64_t limit, absl::Duration window,
                                  absl::Time now) {
  Shard& shard = shards_[absl::Hash<std::string>()(key) % kShards];
  absl::MutexLock lock(&shard.mu);
  auto found = shard.windows.find(key);
  if (found == shard.windows.end()) {
    if (shard.windows.size() >= kKeysMax / kShards) MakeRoom(shard, now);
    found = shard.windows.emplace(key, Window{now + window, 0}).first;
  } else if (found->second.end <= now) {
    found->second = Window{now + window, 0};
  }
  ++found->second.count;
  if (found->second.count <= limit) return absl::ZeroDuration();
  return found->second.end - now;
}

}  // namespace bitcontent::gateway
