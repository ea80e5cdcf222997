#include "services/pricing/pricing_caller.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/access_token.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::pricing {

absl::StatusOr<PricingCaller> PricingCallerCheck::Member(const grpc::ServerContext& context,
                                                         common::v1::Scope scope) const {
  absl::StatusOr<std::shared_ptr<const kit::AccessTokenVerifier::Claims>> claims =
      verifier_->VerifyCall(context, absl::Now());
  if (!claims.ok()) return claims.status();
  const common::v1::Principal principal = auth::PrincipalFromClaims(**claims);
  if (scope != common::v1::SCOPE_UNSPECIFIED) {
    if (absl::Status scoped = kit::RequireScope(principal, scope); !scoped.ok()) return scoped;
  }
  return PricingCaller{.user_id = std::string(kit::IdOfName((*claims)->user())),
                       .api_key = principal.api_key()};
}

absl::StatusOr<PricingCaller> PricingCallerCheck::Self(const grpc::ServerContext& context,
                                                       common::v1::Scope scope,
                                                       std::string_view user,
                                                       std::string_view field) const {
  absl::StatusOr<PricingCaller> caller = Member(context, scope);
  if (!caller.ok()) return caller.status();
  if (user != "users/me" && user != absl::StrCat("users/", caller->user_id)) {
    return kit::FieldError(absl::string_view(field.data(), field.size()),
                           "must be \"users/me\": only your own");
  }
  return caller;
}

absl::Status PricingCallerCheck::Operator(const grpc::ServerContext& context) const {
  absl::StatusOr<std::shared_ptr<const kit::AccessTokenVerifier::Claims>> claims =
      verifier_->VerifyCall(context, absl::Now());
  if (!claims.ok()) return claims.status();
  const common::v1::Principal principal = auth::PrincipalFromClaims(**claims);
  if (!principal.operator_() || principal.kind() != common::v1::PRINCIPAL_KIND_SESSION) {
    return absl::PermissionDeniedError(
        "only operators may do this, with their own session (never an API key)");
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::pricing
