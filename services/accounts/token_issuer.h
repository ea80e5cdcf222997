// Mints the access tokens accounts hands out: Ed25519-signed AccessTokenClaims (see
// libs/auth/access_token.h) for a member's session, with every member scope and the
// operator role when the member holds it, or for an API key, with the key's scopes only
// and a shorter life. Also assembles the AuthTokens answers of login-like calls.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "bitcontent/accounts/v1/users.pb.h"
#include "libs/auth/signed_token.h"
#include "services/accounts/records.pb.h"
#include "services/accounts/session_store.h"

namespace bitcontent::accounts {

struct IssuedAccessToken {
  std::string token = {};
  absl::Time expire_time = absl::InfinitePast();
};

class TokenIssuer {
 public:
  // `key` must outlive the issuer. `access_token_ttl` is at most kAccessTokenLifetimeMax.
  TokenIssuer(const auth::SigningKey* key, absl::Duration access_token_ttl)
      : key_(key), access_token_ttl_(access_token_ttl) {}

  // An access token for `session` of `user`.
  IssuedAccessToken ForSession(const storage::UserRecord& user,
                               const storage::SessionRecord& session, absl::Time now) const;

  // An access token for an API key: the key's scopes, never the operator role, living
  // at most kApiKeyAccessTokenLifetimeMax and never past the key's own expiry.
  IssuedAccessToken ForApiKey(const storage::ApiKeyRecord& key, absl::Time now) const;

  // Access and refresh tokens of a session just opened or refreshed.
  v1::AuthTokens AuthTokensFor(const storage::UserRecord& user, const IssuedSession& issued,
                               absl::Time now) const;

  absl::Duration access_token_ttl() const { return access_token_ttl_; }

 private:
  const auth::SigningKey* const key_;
  const absl::Duration access_token_ttl_;
};

}  // namespace bitcontent::accounts
