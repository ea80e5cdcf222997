// Authenticator: turns the credential of a request (the Authorization header over REST,
// the authorization metadata over public gRPC) into a Caller.
//
// - An access token is verified locally: one Ed25519 verification against the keys
//   accounts publishes (KeyRing), then cached until it expires (at most a minute).
// - An API key ("bck_...") is exchanged with accounts (AccountsInternalService.
//   AuthenticateApiKey) for a short-lived access token carrying its scopes, cached until
//   shortly before that token expires.
// Revocation is not decided here: Admission asks Redis on every request.
//
// Every failure is Unauthenticated with a message a person can act on ("token expired",
// "missing bearer token"...), except an unreachable accounts during an API-key exchange,
// which keeps its code (UNAVAILABLE, DEADLINE_EXCEEDED).
#pragma once

#include <grpcpp/channel.h>

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/auth/key_ring.h"
#include "libs/kit/expiring_cache.h"
#include "libs/kit/key_refresher.h"
#include "services/gateway/caller.h"

namespace bitcontent::gateway {

class Authenticator {
 public:
  // An exchanged API-key token is used until this long before it expires.
  static constexpr absl::Duration kApiKeyTokenMargin = absl::Seconds(30);
  static constexpr absl::Duration kApiKeyExchangeTimeout = absl::Seconds(5);
  static constexpr size_t kCacheEntriesMax = 1 << 16;
  static constexpr absl::Duration kCacheLifetimeMax = absl::Minutes(1);

  // `keys` and `refresher` must outlive this; `refresher` and `accounts` may be null.
  Authenticator(const auth::KeyRing* keys, kit::KeyRefresher* refresher,
                std::shared_ptr<grpc::Channel> accounts);

  // Authenticates `authorization` ("Bearer <access token or API key>") at `now`.
  // Thread-safe.
  absl::StatusOr<std::shared_ptr<const Caller>> Authenticate(absl::string_view authorization,
                                                             absl::string_view request_id,
                                                             absl::Time now);

 private:
  absl::StatusOr<std::shared_ptr<const Caller>> FromAccessToken(absl::string_view token,
                                                                absl::Time now);
  absl::StatusOr<std::shared_ptr<const Caller>> FromApiKey(absl::string_view secret,
                                                           absl::string_view request_id,
                                                           absl::Time now);

  const auth::KeyRing* const keys_;
  kit::KeyRefresher* const refresher_;
  const std::shared_ptr<grpc::Channel> accounts_;
  // By the full token text, or for an API key by the BLAKE2b hash of its secret, so
  // the cache holds no secrets. Revocation is not cached (see Admission).
  kit::ExpiringCache<Caller> cache_{kCacheEntriesMax, kCacheLifetimeMax};
};

}  // namespace bitcontent::gateway
