// The public keys a verifier trusts, by key_id: the gateway fills one from accounts'
// ListTokenSigningKeys and refreshes it in the background while request threads verify
// tokens against it. Safe for concurrent Find/List while Add runs.
//
// Find returns a plain pointer that stays valid for the life of the ring: a stored key
// is never changed or freed. Adding a changed version of a key (say, with a
// not_after_time once it is rotated out) stores a new entry that later lookups return;
// the old one stays in memory, so the ring holds at most kKeyRingVersionsMax versions.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "bitcontent/common/v1/keys.pb.h"

namespace bitcontent::auth {

// Most key versions a ring stores. Keys rotate every few weeks, so this lasts decades.
inline constexpr size_t kKeyRingVersionsMax = 1024;
// Longest key_id accepted.
inline constexpr size_t kKeyIdBytesMax = 128;

// OK when `key` is well formed: a non-empty key_id of at most kKeyIdBytesMax characters,
// a 32-byte public key, and an algorithm that fits its purpose (Ed25519 for the signing
// purposes, X25519 for key escrow). InvalidArgument naming the problem otherwise.
absl::Status ValidatePublicKey(const common::v1::PublicKey& key);

class KeyRing {
 public:
  KeyRing() = default;
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  // Adds `key`, or makes it the current version of its key_id. Adding a key equal to the
  // current version changes nothing. InvalidArgument when ValidatePublicKey refuses it,
  // ResourceExhausted when the ring already holds kKeyRingVersionsMax versions; the ring
  // is unchanged then.
  absl::Status Add(const common::v1::PublicKey& key);

  // The current version of the key named `key_id`, or nullptr. The pointer stays valid
  // as long as the ring lives.
  const common::v1::PublicKey* Find(absl::string_view key_id) const;

  // The current version of every key, sorted by key_id (for GET /v1/keys).
  std::vector<common::v1::PublicKey> List() const;

 private:
  mutable absl::Mutex mu_;
  // Every version ever added. A deque never moves its elements when it grows.
  std::deque<common::v1::PublicKey> versions_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, const common::v1::PublicKey*> current_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bitcontent::auth
