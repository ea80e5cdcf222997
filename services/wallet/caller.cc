#include "services/wallet/caller.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "libs/auth/access_token.h"
#include "libs/auth/scopes.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::wallet {

absl::StatusOr<Caller> CallerCheck::Member(const grpc::ServerContext& context,
                                           common::v1::Scope scope) const {
  absl::StatusOr<std::shared_ptr<const kit::AccessTokenVerifier::Claims>> claims =
      verifier_->VerifyCall(context, absl::Now());
  if (!claims.ok()) return claims.status();
  const common::v1::Principal principal = auth::PrincipalFromClaims(**claims);
  const auto& scopes = principal.scopes();
  if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) {
    return kit::WithReason(absl::PermissionDeniedError(
                               absl::StrCat("this token lacks the scope ", auth::ScopeName(scope))),
                           common::v1::ERROR_REASON_SCOPE_MISSING);
  }
  return Caller{.user_id = std::string(kit::IdOfName((*claims)->user())),
                .api_key = principal.api_key()};
}

absl::StatusOr<std::string> CallerCheck::Operator(const grpc::ServerContext& context) const {
  absl::StatusOr<std::shared_ptr<const kit::AccessTokenVerifier::Claims>> claims =
      verifier_->VerifyCall(context, absl::Now());
  if (!claims.ok()) return claims.status();
  const common::v1::Principal principal = auth::PrincipalFromClaims(**claims);
  if (!principal.operator_() || principal.kind() != common::v1::PRINCIPAL_KIND_SESSION) {
    return absl::PermissionDeniedError(
        "only operators may do this, with their own session (never an API key)");
  }
  return std::string(kit::IdOfName((*claims)->user()));
}

absl::StatusOr<std::string> UserOfWalletName(std::string_view name, std::string_view field) {
  absl::string_view rest(name.data(), name.size());
  const absl::string_view field_name(field.data(), field.size());
  if (!absl::ConsumePrefix(&rest, "users/") || !absl::ConsumeSuffix(&rest, "/wallet") ||
      rest.empty() || absl::StrContains(rest, '/')) {
    return kit::FieldError(field_name, "must be a wallet: \"users/{user}/wallet\"");
  }
  return std::string(rest);
}

absl::Status CheckOwnWallet(std::string_view name, const Caller& caller, std::string_view field) {
  absl::StatusOr<std::string> user = UserOfWalletName(name, field);
  if (!user.ok()) return user.status();
  if (*user != "me" && *user != caller.user_id) {
    return absl::PermissionDeniedError("only your own wallet: use \"users/me/wallet\"");
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::wallet
