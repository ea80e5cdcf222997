// Copies revocations from the outbox to Redis, where the gateway checks every token:
//
//   SET bc:revoked:session:<session id> 1 PX <ms>   (and bc:revoked:api_key:<id>)
//
// with <ms> the rest of the access-token lifetime counted from the revocation, since no
// token of the session outlives that. A background thread publishes entries as soon as
// they are committed and, while Redis is unreachable, retries with a growing delay
// (kRevocationRetryDelayMin up to kRevocationRetryDelayMax) until it succeeds. Entries
// older than the access-token lifetime are dropped unpublished: every token they could
// stop has expired. Without Redis (--redis_address empty) the thread only drops them.
//
// Redis keeps nothing on disk, so a restart of it forgets every revocation. Each round
// first checks the key kRevocationsCompleteKey, which only a full publication sets: when
// it is missing (Redis is new, or lost its data), every revocation a live token may still
// meet (the `revocations` family, made with each outbox entry) is set again, with the
// marker, in one script, so that Redis holds either all of them or no marker. The gateway
// refuses authenticated requests while the marker is missing (admission.h): fail closed.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/kit/outbox_sender.h"
#include "libs/redis/client.h"
#include "services/accounts/revocation_outbox.h"

namespace bitcontent::accounts {

using auth::kRevocationsCompleteKey;
using auth::RevocationKey;

class RevocationPublisher {
 public:
  // `redis` may be null (no publishing). `access_token_ttl` bounds how long an entry is
  // worth publishing.
  RevocationPublisher(RevocationOutbox* outbox, std::unique_ptr<redis::Client> redis,
                      absl::Duration access_token_ttl);
  // Starts the background thread.
  void Start() {
    outbox_->PublisherStarted();
    sender_.Start();
  }

  // Publishes (or drops, when too old) up to kRevocationsPublishedPerRoundMax entries.
  // OK when the outbox holds nothing more to do in this round; the Redis error
  // otherwise. The thread calls this; tests call it directly.
  absl::Status PublishOnce(absl::Time now);

 private:
  // Sets every recorded revocation still worth it, and the marker, when the marker is
  // missing.
  absl::Status RepublishIfLost(absl::Time now);

  RevocationOutbox* const outbox_;
  const std::unique_ptr<redis::Client> redis_;
  const absl::Duration access_token_ttl_;
  kit::OutboxSender sender_;
};

}  // namespace bitcontent::accounts
