#include "services/pricing/paywall_caller.h"

#include "absl/time/clock.h"
#include "libs/auth/access_token.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::pricing {

absl::StatusOr<std::string> PaywallCallerCheck::Owner(const grpc::ServerContext& context,
                                                      std::string_view user) const {
  absl::StatusOr<std::shared_ptr<const kit::AccessTokenVerifier::Claims>> claims =
      verifier_->VerifyCall(context, absl::Now());
  if (!claims.ok()) return claims.status();
  const common::v1::Principal principal = auth::PrincipalFromClaims(**claims);
  if (absl::Status scoped = kit::RequireScope(principal, common::v1::SCOPE_PAYWALL_MANAGE);
      !scoped.ok()) {
    return scoped;
  }
  std::string user_id(kit::IdOfName((*claims)->user()));
  if (user != "me" && user != user_id) {
    return absl::PermissionDeniedError(
        "only your own paywall resources and webhook endpoints: use \"users/me/...\"");
  }
  return user_id;
}

}  // namespace bitcontent::pricing
