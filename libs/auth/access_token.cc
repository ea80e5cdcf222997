#include "libs/auth/access_token.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/auth/scopes.h"
#include "libs/crypto/programmer_error.h"

namespace bitcontent::auth {
namespace {

// Why `claims` are not something accounts may issue, or "" when they are.
absl::string_view ClaimsProblem(const accounts::v1::AccessTokenClaims& claims) {
  if (!claims.has_issue_time() || !claims.has_expire_time()) {
    return "issue_time and expire_time must be set";
  }
  const absl::Duration lifetime =
      TimeFromProto(claims.expire_time()) - TimeFromProto(claims.issue_time());
  if (lifetime <= absl::ZeroDuration() || lifetime > kAccessTokenLifetimeMax) {
    return "expire_time must be after issue_time, by at most 15 minutes";
  }
  if (claims.user().empty()) {
    return "user must be set";
  }
  if (claims.session().empty() == claims.api_key().empty()) {
    return "exactly one of session and api_key must be set";
  }
  if (!claims.api_key().empty() && claims.operator_()) {
    return "API-key tokens never carry the operator role";
  }
  return "";
}

}  // namespace

std::string IssueAccessToken(const SigningKey& key, const accounts::v1::AccessTokenClaims& claims) {
  if (absl::string_view problem = ClaimsProblem(claims); !problem.empty()) {
    crypto::ProgrammerError(absl::StrCat("auth::IssueAccessToken: ", problem));
  }
  return SignToken(common::v1::KEY_PURPOSE_ACCESS_TOKEN, key, claims.SerializeAsString());
}

absl::StatusOr<accounts::v1::AccessTokenClaims> VerifyAccessToken(absl::string_view token,
                                                                  const KeyRing& keys,
                                                                  absl::Time now) {
  absl::StatusOr<std::string> payload =
      VerifyToken(token, common::v1::KEY_PURPOSE_ACCESS_TOKEN, keys, now);
  if (!payload.ok()) {
    return payload.status();
  }
  accounts::v1::AccessTokenClaims claims;
  if (!claims.ParseFromString(*payload) || !ClaimsProblem(claims).empty()) {
    return absl::UnauthenticatedError("malformed token");
  }
  if (now + kClockSkew < TimeFromProto(claims.issue_time())) {
    return absl::UnauthenticatedError("token not yet valid");
  }
  if (now - kClockSkew >= TimeFromProto(claims.expire_time())) {
    return absl::UnauthenticatedError("token expired");
  }
  return claims;
}

common::v1::Principal PrincipalFromClaims(const accounts::v1::AccessTokenClaims& claims) {
  common::v1::Principal principal;
  if (claims.session().empty() == claims.api_key().empty()) {
    principal.set_kind(common::v1::PRINCIPAL_KIND_ANONYMOUS);
    return principal;
  }
  principal.set_user(claims.user());
  principal.set_device_id(claims.device_id());
  if (!claims.session().empty()) {
    principal.set_kind(common::v1::PRINCIPAL_KIND_SESSION);
    principal.set_session(claims.session());
    principal.set_operator_(claims.operator_());
    for (common::v1::Scope scope : AllMemberScopes()) {
      principal.add_scopes(scope);
    }
    return principal;
  }
  principal.set_kind(common::v1::PRINCIPAL_KIND_API_KEY);
  principal.set_api_key(claims.api_key());
  for (int scope : claims.scopes()) {
    // Keep only scopes this build knows, once each, so a check never matches a value
    // it cannot name.
    const bool known = common::v1::Scope_IsValid(scope) && scope != common::v1::SCOPE_UNSPECIFIED;
    const bool seen = std::find(principal.scopes().begin(), principal.scopes().end(), scope) !=
                      principal.scopes().end();
    if (known && !seen) {
      principal.add_scopes(static_cast<common::v1::Scope>(scope));
    }
  }
  return principal;
}

}  // namespace bitcontent::auth
