// Access tokens: short-lived SignedTokens (purpose KEY_PURPOSE_ACCESS_TOKEN) whose
// payload is an accounts.v1.AccessTokenClaims. Accounts issues them at login, refresh
// and API-key exchange; the gateway and every service verify them locally with the
// public keys from accounts, then check token_id / session against the revocations in
// Redis (not done here), and act as the Principal the claims describe.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/tokens.pb.h"
#include "bitcontent/common/v1/principal.pb.h"
#include "libs/auth/clock_skew.h"
#include "libs/auth/key_ring.h"
#include "libs/auth/signed_token.h"

namespace bitcontent::auth {

// Longest life of an access token (accounts.v1.AccessTokenClaims says 15 minutes).
inline constexpr absl::Duration kAccessTokenLifetimeMax = absl::Minutes(15);

// Signs `claims` with `key`. Aborts on claims the issuer must never produce: issue or
// expire time unset, expire not after issue, a life above kAccessTokenLifetimeMax, no
// user, not exactly one of session / api_key, or the operator role on an API-key token.
std::string IssueAccessToken(const SigningKey& key, const accounts::v1::AccessTokenClaims& claims);

// Verifies `token` (VerifyToken for KEY_PURPOSE_ACCESS_TOKEN) and its claims at `now`,
// allowing kClockSkew either way. Unauthenticated with VerifyToken's messages, or
// "malformed token" for claims that do not parse or break the rules above,
// "token not yet valid" before issue_time and "token expired" from expire_time on.
absl::StatusOr<accounts::v1::AccessTokenClaims> VerifyAccessToken(absl::string_view token,
                                                                  const KeyRing& keys,
                                                                  absl::Time now);

// The caller the claims describe: PRINCIPAL_KIND_SESSION with every member scope (and
// the operator role when the claims hold it) when `session` is set; PRINCIPAL_KIND_API_KEY
// with the claims' own known scopes, never the operator role, when `api_key` is set;
// PRINCIPAL_KIND_ANONYMOUS when neither is. Pass only verified claims.
common::v1::Principal PrincipalFromClaims(const accounts::v1::AccessTokenClaims& claims);

}  // namespace bitcontent::auth
