#include "services/wallet/member_directory.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "libs/kit/api_key_spend.h"
#include "libs/kit/channel.h"
#include "libs/kit/error_details.h"
#include "libs/kit/reply.h"
#include "services/wallet/member_wallets.h"

namespace bitcontent::wallet {
namespace {

absl::Status NoAccounts() {
  return absl::UnavailableError(
      "wallet has no --accounts_target, so it cannot look members up or charge API keys");
}

}  // namespace

absl::Status MemberDirectory::CheckPayable(const grpc::ServerContext& caller,
                                           absl::string_view user_id, Freshness freshness) const {
  if (accounts_ == nullptr) return NoAccounts();
  auto context = kit::NewCallContext(caller, kCallTimeout);
  const std::vector<std::string> names = {absl::StrCat("users/", user_id)};
  absl::StatusOr<std::optional<std::string>> inactive =
      freshness == Freshness::kRemembered ? active_.FirstInactive(accounts_, *context, names)
                                          : active_.FirstInactiveNow(accounts_, *context, names);
  if (!inactive.ok()) return inactive.status();
  if (inactive->has_value()) {
    return absl::NotFoundError(absl::StrCat("no active member has the wallet ",
                                            WalletName({user_id.data(), user_id.size()})));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> MemberDirectory::UserOfEmail(const grpc::ServerContext& caller,
                                                         absl::string_view email,
                                                         bool any_state) const {
  if (accounts_ == nullptr) return NoAccounts();
  accounts::v1::LookupUserByEmailRequest request;
  request.set_email(std::string(email));
  accounts::v1::User user;
  auto context = kit::NewCallContext(caller, kCallTimeout);
  const grpc::Status status =
      accounts::v1::AccountsInternalService::NewStub(accounts_)->LookupUserByEmail(context.get(),
                                                                                   request, &user);
  // A disabled member is as unknown as one who never signed up.
  if (status.error_code() == grpc::StatusCode::NOT_FOUND ||
      (status.ok() && !any_state && user.state() != accounts::v1::USER_STATE_ACTIVE)) {
    return absl::NotFoundError("no active member has this email");
  }
  if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    return kit::FieldError("payee_email", status.error_message());
  }
  if (!status.ok()) return kit::FromCall(status, *context);
  absl::string_view name = user.name();
  if (!absl::ConsumePrefix(&name, "users/")) {
    return absl::InternalError("accounts answered a malformed user name");
  }
  return std::string(name);
}

absl::Status MemberDirectory::ChargeApiKey(const grpc::ServerContext& caller,
                                           absl::string_view api_key, uint64_t amount_msat,
                                           absl::string_view request_id) const {
  if (accounts_ == nullptr) return NoAccounts();
  auto context = kit::NewCallContext(caller, kCallTimeout);
  return kit::ChargeApiKeySpend(accounts_, *context, api_key, amount_msat, request_id);
}

absl::Status MemberDirectory::RefundApiKey(const grpc::ServerContext& caller,
                                           absl::string_view api_key, uint64_t amount_msat,
                                           absl::string_view request_id) const {
  if (accounts_ == nullptr) return NoAccounts();
  auto context = kit::NewCallContext(caller, kCallTimeout);
  return kit::RefundApiKeySpend(accounts_, *context, api_key, amount_msat, request_id);
}

}  // namespace bitcontent::wallet
