// Who is calling, and may they touch what they name. Every AccountsService method that
// needs a member reads the bearer access token from the call's "authorization"
// metadata, verifies it with accounts' own signing keys, and checks in RocksDB that its
// session (or API key) is still live, so a signed-out session's tokens stop working
// here at once, without waiting for them to expire. Verified claims are cached (see
// kit::AccessTokenVerifier); the session check is never cached.
//
// Then the rules: a member acts only on "users/{their id}" or "users/me"; API keys may
// read but never manage the account; the admin API needs the operator role.
#pragma once

#include <grpcpp/server_context.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/tokens.pb.h"
#include "bitcontent/common/v1/principal.pb.h"
#include "libs/auth/key_ring.h"
#include "libs/kit/access_token_verifier.h"
#include "services/accounts/api_key_store.h"
#include "services/accounts/session_store.h"

namespace bitcontent::accounts {

class CallerAuthenticator {
 public:
  // All three must outlive the authenticator.
  CallerAuthenticator(const auth::KeyRing* keys, const SessionStore* sessions,
                      const ApiKeyStore* api_keys)
      : verifier_(keys), sessions_(sessions), api_keys_(api_keys) {}

  // The verified caller. UNAUTHENTICATED when the metadata holds no usable bearer
  // token, when the token is forged, expired or not accounts', and when its session was
  // signed out or its API key revoked (TOKEN_REVOKED).
  absl::StatusOr<common::v1::Principal> Authenticate(const grpc::ServerContextBase& context,
                                                     absl::Time now) const;

  // The same for a token carried in a message (a coalesced call's bearer_token); an
  // empty token is UNAUTHENTICATED.
  absl::StatusOr<common::v1::Principal> AuthenticateToken(absl::string_view bearer_token,
                                                          absl::Time now) const;

 private:
  // The principal of verified `claims` whose session or API key is still live.
  absl::StatusOr<common::v1::Principal> Live(const accounts::v1::AccessTokenClaims& claims,
                                             absl::Time now) const;

  const kit::AccessTokenVerifier verifier_;
  const SessionStore* const sessions_;
  const ApiKeyStore* const api_keys_;
};

// What a call may do with an API key instead of a login session.
enum class Access { kSessionOnly, kAnyCredential, kFilesRead, kFilesWrite };

// An authenticated caller allowed to act on a member's account: their own.
struct Member {
  common::v1::Principal principal = {};
  std::string user_id = {};
};

// `principal` acting on `user_segment` ("me" or an id; a parse error passes through)
// with `access`: PERMISSION_DENIED for anyone else's account, and for an API key
// without what `access` needs.
absl::StatusOr<Member> AuthorizeMember(common::v1::Principal principal,
                                       absl::StatusOr<std::string> user_segment, Access access);

// The id in the caller's "users/{id}".
std::string UserIdOf(const common::v1::Principal& principal);

// The session id of a session principal ("" otherwise).
std::string SessionIdOf(const common::v1::Principal& principal);

// The user id a request may act on: the caller's own for "me" or their own id;
// PERMISSION_DENIED for anyone else's.
absl::StatusOr<std::string> OwnUserId(const common::v1::Principal& principal,
                                      absl::string_view user_segment);

// PERMISSION_DENIED unless the caller is a member's login session (API keys cannot
// manage sessions, keys or passwords).
absl::Status RequireSession(const common::v1::Principal& principal);

// PERMISSION_DENIED unless the caller is a session of a member with the operator role.
absl::Status RequireOperator(const common::v1::Principal& principal);

// The client's address: the first X-Forwarded-For hop the gateway passed on, else the
// gRPC peer.
std::string ClientIp(const grpc::ServerContextBase& context);

}  // namespace bitcontent::accounts
