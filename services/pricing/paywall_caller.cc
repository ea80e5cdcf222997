#include "services/pricing/paywall_caller.h"

#include <utility>

namespace bitcontent::pricing {

absl::StatusOr<std::string> PaywallCallerCheck::Owner(const grpc::ServerContext& context,
                                                      std::string_view user) const {
  absl::StatusOr<kit::CallingMember> caller =
      verifier_->Member(context, common::v1::SCOPE_PAYWALL_MANAGE);
  if (!caller.ok()) return caller.status();
  std::string user_id = std::move(caller->user_id);
  if (user != "me" && user != user_id) {
    return absl::PermissionDeniedError(
        "only your own paywall resources and webhook endpoints: use \"users/me/...\"");
  }
  return user_id;
}

}  // namespace bitcontent::pricing
