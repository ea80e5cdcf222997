#include "services/pricing/pricing_caller.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "libs/auth/access_token.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::pricing {

absl::StatusOr<PricingCaller> PricingCallerCheck::Member(const grpc::ServerContext& context,
                                                         common::v1::Scope scope) const {
  return verifier_->Member(context, scope);
}

absl::StatusOr<PricingCaller> PricingCallerCheck::Self(const grpc::ServerContext& context,
                                                       common::v1::Scope scope,
                                                       std::string_view user,
                                                       std::string_view field) const {
  absl::StatusOr<PricingCaller> caller = Member(context, scope);
  if (!caller.ok()) return caller.status();
  if (user == "users/me" || user == absl::StrCat("users/", caller->user_id)) return caller;
  absl::string_view rest(user.data(), user.size());
  if (!absl::ConsumePrefix(&rest, "users/") || rest.empty() || absl::StrContains(rest, '/')) {
    return kit::FieldError(absl::string_view(field.data(), field.size()),
                           "must be \"users/me\" (or your own \"users/{user}\")");
  }
  // Another member's: theirs to see, as for wallets and paywall resources.
  return absl::PermissionDeniedError("only your own: use \"users/me\"");
}

absl::Status PricingCallerCheck::Operator(const grpc::ServerContext& context) const {
  return verifier_->Operator(context).status();
}

}  // namespace bitcontent::pricing
