// CredentialCache: callers already authenticated, by credential, so the hot path of an
// authenticated request costs a hash-map lookup instead of an Ed25519 verification
// (access tokens) or a call to accounts (API keys).
//
// Entries are keyed by the full token text (for API keys, by the BLAKE2b hash of the
// secret, so the cache holds no secrets): a lookup compares whole keys, so no crafted
// token can collide with a cached one. Each entry expires at the earlier of the
// credential's own expiry and kEntryLifetimeMax; revocation is not cached (Admission
// asks Redis on every request). At most kEntriesMax entries; when full, expired ones
// are dropped, then the shard is cleared.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/common/v1/principal.pb.h"

namespace bitcontent::gateway {

// Who a credential authenticates, and what the gateway needs to act for them.
struct Caller {
  common::v1::Principal principal = {};
  // The access token forwarded to services: the member's own, or for an API key the one
  // accounts exchanged it for.
  std::string access_token = {};
  // Set in Redis when the session or API key is revoked.
  std::string revocation_key = {};
  // The per-principal rate-limit key.
  std::string rate_limit_key = {};
  // When the credential stops being valid.
  absl::Time expire_time = absl::InfinitePast();
};

class CredentialCache {
 public:
  static constexpr size_t kShards = 16;
  static constexpr size_t kEntriesMax = 1 << 16;
  static constexpr absl::Duration kEntryLifetimeMax = absl::Minutes(1);

  // The caller cached under `key` if not expired at `now`, else nullptr.
  std::shared_ptr<const Caller> Find(const std::string& key, absl::Time now) const;

  // Caches `caller` under `key` until min(caller->expire_time, now + kEntryLifetimeMax).
  void Insert(const std::string& key, std::shared_ptr<const Caller> caller, absl::Time now);

 private:
  struct Entry {
    std::shared_ptr<const Caller> caller;
    absl::Time expire;
  };
  struct Shard {
    mutable absl::Mutex mu;
    absl::flat_hash_map<std::string, Entry> entries ABSL_GUARDED_BY(mu);
  };

  Shard& ShardOf(const std::string& key) const;

  mutable std::array<Shard, kShards> shards_;
};

}  // namespace bitcontent::gateway
