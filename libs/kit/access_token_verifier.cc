#include "libs/kit/access_token_verifier.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/access_token.h"
#include "libs/auth/bearer.h"
#include "libs/auth/proto_time.h"
#include "libs/auth/scopes.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::kit {

AccountsTokenVerifier::AccountsTokenVerifier(std::shared_ptr<grpc::Channel> accounts)
    : refresher_(&keys_, AccessTokenKeys(std::move(accounts)), absl::Minutes(1)),
      verifier_(&keys_, &refresher_) {
  refresher_.Start();
}

absl::StatusOr<std::shared_ptr<const AccessTokenVerifier::Claims>> AccessTokenVerifier::Verify(
    absl::string_view token, absl::Time now) const {
  const std::string key(token);
  if (std::shared_ptr<const Claims> cached = verified_.Find(key, now)) return cached;
  absl::StatusOr<Claims> claims = auth::VerifyAccessToken(token, *keys_, now);
  // Calls that arrive right after a start, before the first keys are in, wait for them
  // (bounded) rather than being refused.
  if (!claims.ok() && refresher_ != nullptr && !refresher_->loaded() &&
      refresher_->AwaitLoaded(KeyRefresher::kCallTimeout)) {
    claims = auth::VerifyAccessToken(token, *keys_, now);
  }
  if (!claims.ok()) {
    const absl::string_view message = claims.status().message();
    if (message == "token expired") {
      return WithReason(claims.status(), common::v1::ERROR_REASON_TOKEN_EXPIRED);
    }
    if (refresher_ != nullptr && message == "unknown signing key") refresher_->RequestRefresh();
    return claims.status();
  }
  auto verified = std::make_shared<const Claims>(*std::move(claims));
  // Cached only while VerifyAccessToken would accept it without the clock skew.
  verified_.Insert(key, verified, auth::TimeFromProto(verified->expire_time()), now);
  return verified;
}

absl::StatusOr<std::shared_ptr<const AccessTokenVerifier::Claims>> AccessTokenVerifier::VerifyCall(
    const grpc::ServerContextBase& context, absl::Time now) const {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find(
      grpc::string_ref(auth::kAuthorizationKey.data(), auth::kAuthorizationKey.size()));
  if (found == metadata.end()) {
    return absl::UnauthenticatedError(
        "this call needs \"authorization: Bearer <access token>\" metadata");
  }
  absl::StatusOr<absl::string_view> token =
      auth::ParseBearerToken(absl::string_view(found->second.data(), found->second.size()));
  if (!token.ok()) return token.status();
  return Verify(*token, now);
}

absl::StatusOr<CallingMember> AccessTokenVerifier::Member(const grpc::ServerContextBase& context,
                                                          common::v1::Scope scope) const {
  absl::StatusOr<std::shared_ptr<const Claims>> claims = VerifyCall(context, absl::Now());
  if (!claims.ok()) return claims.status();
  const common::v1::Principal principal = auth::PrincipalFromClaims(**claims);
  if (scope != common::v1::SCOPE_UNSPECIFIED) {
    if (absl::Status scoped = RequireScope(principal, scope); !scoped.ok()) return scoped;
  }
  return CallingMember{.user_id = std::string(IdOfName((*claims)->user())),
                       .api_key = principal.api_key()};
}

absl::StatusOr<std::string> AccessTokenVerifier::Operator(
    const grpc::ServerContextBase& context) const {
  absl::StatusOr<std::shared_ptr<const Claims>> claims = VerifyCall(context, absl::Now());
  if (!claims.ok()) return claims.status();
  const common::v1::Principal principal = auth::PrincipalFromClaims(**claims);
  if (!principal.operator_() || principal.kind() != common::v1::PRINCIPAL_KIND_SESSION) {
    return absl::PermissionDeniedError(
        "only operators may do this, with their own session (never an API key)");
  }
  return std::string(IdOfName((*claims)->user()));
}

absl::Status RequireScope(const common::v1::Principal& principal, common::v1::Scope scope) {
  const auto& scopes = principal.scopes();
  if (std::find(scopes.begin(), scopes.end(), scope) != scopes.end()) return absl::OkStatus();
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat("this API key lacks the scope this call needs (",
                                               auth::ScopeName(scope), ")")),
      common::v1::ERROR_REASON_SCOPE_MISSING);
}

}  // namespace bitcontent::kit
