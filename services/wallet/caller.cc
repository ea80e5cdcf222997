#include "services/wallet/caller.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "libs/auth/access_token.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::wallet {

absl::StatusOr<Caller> CallerCheck::Member(const grpc::ServerContext& context,
                                           common::v1::Scope scope) const {
  return verifier_->Member(context, scope);
}

absl::StatusOr<Caller> CallerCheck::OwnWallet(const grpc::ServerContext& context,
                                              common::v1::Scope scope, std::string_view wallet_name,
                                              std::string_view field) const {
  absl::StatusOr<Caller> caller = Member(context, scope);
  if (!caller.ok()) return caller.status();
  absl::StatusOr<std::string> user = UserOfWalletName(wallet_name, field);
  if (!user.ok()) return user.status();
  if (*user != "me" && *user != caller->user_id) {
    return absl::PermissionDeniedError("only your own wallet: use \"users/me/wallet\"");
  }
  return caller;
}

absl::StatusOr<std::string> CallerCheck::Operator(const grpc::ServerContext& context) const {
  return verifier_->Operator(context);
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

}  // namespace bitcontent::wallet
