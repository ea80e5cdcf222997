// AccessTokenVerifier: who is calling a service, from the bearer access token in the
// call's "authorization" metadata, verified against accounts' published signing keys
// (a KeyRing, kept current by a KeyRefresher) and cached by token until it expires (at
// most a minute), so a member's repeated calls cost one Ed25519 verification.
//
// Revocation is not checked here: the gateway checks it in Redis before it forwards a
// call, accounts checks its own sessions, and an access token lives at most 15
// minutes. A service that must notice a revocation sooner asks accounts.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/server_context.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/tokens.pb.h"
#include "bitcontent/common/v1/principal.pb.h"
#include "libs/auth/key_ring.h"
#include "libs/kit/expiring_cache.h"
#include "libs/kit/key_refresher.h"

namespace bitcontent::kit {

// A member calling a service, as their verified access token says.
struct CallingMember {
  std::string user_id;
  // "users/{user}/apiKeys/{key}" when an API key calls (spend limits count against it);
  // empty for a session.
  std::string api_key;
};

class AccessTokenVerifier {
 public:
  using Claims = accounts::v1::AccessTokenClaims;

  // `keys` must outlive this; `refresher` (may be null) is asked for an early refresh
  // when a token names a key the ring lacks, as happens right after a key rotation.
  explicit AccessTokenVerifier(const auth::KeyRing* keys, KeyRefresher* refresher = nullptr)
      : keys_(keys), refresher_(refresher) {}

  // The claims of `token`. UNAUTHENTICATED with VerifyAccessToken's message ("token
  // expired", "unknown signing key"...) when it does not verify at `now`; a token that
  // expired carries the reason TOKEN_EXPIRED.
  absl::StatusOr<std::shared_ptr<const Claims>> Verify(absl::string_view token,
                                                       absl::Time now) const;

  // The claims of the call's "authorization: Bearer <token>" metadata; UNAUTHENTICATED
  // saying what to send when it is missing or malformed.
  absl::StatusOr<std::shared_ptr<const Claims>> VerifyCall(const grpc::ServerContextBase& context,
                                                           absl::Time now) const;

  // The member calling, as VerifyCall; PERMISSION_DENIED (SCOPE_MISSING) when an API key
  // lacks `scope` (SCOPE_UNSPECIFIED: any member will do).
  absl::StatusOr<CallingMember> Member(const grpc::ServerContextBase& context,
                                       common::v1::Scope scope) const;

  // The user id of an operator calling with their own session; PERMISSION_DENIED for
  // anyone else, and for an operator's API key.
  absl::StatusOr<std::string> Operator(const grpc::ServerContextBase& context) const;

 private:
  const auth::KeyRing* const keys_;
  KeyRefresher* const refresher_;
  mutable ExpiringCache<Claims> verified_{1 << 16, absl::Minutes(1)};
};

// What a backend needs to verify access tokens on its own: accounts' signing keys, kept
// current once a minute (and at once for an unknown key), and the verifier over them.
// `accounts` may be null (no accounts configured): then no token verifies.
class AccountsTokenVerifier {
 public:
  explicit AccountsTokenVerifier(std::shared_ptr<grpc::Channel> accounts);

  const AccessTokenVerifier& verifier() const { return verifier_; }

 private:
  auth::KeyRing keys_;
  KeyRefresher refresher_;
  AccessTokenVerifier verifier_;
};

// OK when `principal` holds `scope`; otherwise PERMISSION_DENIED with the reason
// SCOPE_MISSING naming it. Only API keys can lack one: a session holds every member scope.
absl::Status RequireScope(const common::v1::Principal& principal, common::v1::Scope scope);

}  // namespace bitcontent::kit
