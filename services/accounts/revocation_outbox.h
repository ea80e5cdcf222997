// The durable queue (store::Outbox) of revocations waiting to reach Redis. A session or API key is
// revoked in RocksDB at once, and in the same WriteBatch an outbox entry is staged; the
// RevocationPublisher (revocation_publisher.h) copies each entry to Redis, where the
// gateway looks, and deletes it. Because the entry is committed with the revocation, a
// Redis outage or a restart delays publication but never loses it.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/auth/revocation_keys.h"
#include "libs/store/outbox.h"
#include "libs/store/write_batch.h"
#include "services/accounts/accounts_db.h"

namespace bitcontent::accounts {

using auth::kRevokedApiKey;
using auth::kRevokedSession;

// One revocation to publish.
struct PendingRevocation {
  std::string key = {};   // the outbox key, to delete it once published
  std::string kind = {};  // kRevokedSession or kRevokedApiKey
  std::string id = {};    // session id or API key id (last segment of the name)
  absl::Time revoke_time = absl::InfinitePast();
};

class RevocationOutbox {
 public:
  explicit RevocationOutbox(const AccountsDb& db)
      : db_(db), queue_(db.store(), db.revocation_outbox) {}

  // Most a revoking call waits in Notify for its revocations to reach Redis. Longer
  // means Redis is out of reach: the publisher retries, and the gateway refuses tokens
  // meanwhile, being unable to check them.
  static constexpr absl::Duration kPublishWaitMax = absl::Seconds(1);

  // Adds an entry for `kind`/`id` to `batch`. Call Notify() after the batch committed.
  void Stage(store::WriteBatch* batch, absl::string_view kind, absl::string_view id,
             absl::Time now);

  // Wakes the publisher: a batch with staged entries has committed. When this thread
  // staged any and the publisher runs, waits (at most kPublishWaitMax) until they are
  // published, so that a logout or a revoked key answers once the gateway refuses the
  // tokens, not ~0.1 s later.
  void Notify();
  // Said by the publisher when it starts (a domain in a unit test runs without one).
  void PublisherStarted() { publisher_running_ = true; }

  // The queue itself, for the sender (kit::OutboxSender).
  store::Outbox* queue() { return &queue_; }

  // The revocations made at or after `since` (with no outbox key), oldest first, at
  // most `limit`: those a token may still outlive, which Redis must hold.
  absl::StatusOr<std::vector<PendingRevocation>> Recorded(absl::Time since, size_t limit) const;
  // Forgets up to `limit` of the recorded revocations made before `since`, oldest first:
  // no token they stop is left. Cheap when there are none (one seek).
  absl::Status Prune(absl::Time since, size_t limit);

  // The oldest entries, at most `limit`.
  absl::StatusOr<std::vector<PendingRevocation>> Oldest(size_t limit) const;

  // Deletes published (or no longer useful) entries.
  absl::Status Remove(const std::vector<PendingRevocation>& entries);

 private:
  const AccountsDb& db_;
  store::Outbox queue_;
  std::atomic<bool> publisher_running_ = false;
};

}  // namespace bitcontent::accounts
