#include "services/wallet/member_directory.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "bitcontent/accounts/v1/accounts_service.grpc.pb.h"
#include "libs/kit/api_key_spend.h"
#include "libs/kit/channel.h"
#include "libs/kit/reply.h"
#include "services/wallet/member_wallets.h"

namespace bitcontent::wallet {
namespace {

absl::Status NoAccounts() {
  return absl::UnavailableError(
      "wallet has no --accounts_target, so it cannot look members up or charge API keys");
}

}  // namespace

absl::Status MemberDirectory::CheckMember(const grpc::ServerContext& caller,
                                          absl::string_view user_id) const {
  if (accounts_ == nullptr) return NoAccounts();
  accounts::v1::BatchGetUsersRequest request;
  request.add_names(absl::StrCat("users/", user_id));
  accounts::v1::BatchGetUsersResponse response;
  auto context = kit::NewCallContext(caller, kCallTimeout);
  const grpc::Status status =
      accounts::v1::AccountsInternalService::NewStub(accounts_)->BatchGetUsers(context.get(),
                                                                               request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return absl::NotFoundError(
        absl::StrCat("no member has the wallet ", WalletName({user_id.data(), user_id.size()})));
  }
  return kit::FromCall(status, *context);
}

absl::StatusOr<std::string> MemberDirectory::UserOfEmail(const grpc::ServerContext& caller,
                                                         absl::string_view email) const {
  if (accounts_ == nullptr) return NoAccounts();
  accounts::v1::LookupUserPublicKeyRequest request;
  request.set_email(std::string(email));
  accounts::v1::LookupUserPublicKeyResponse response;
  auto context = kit::NewCallContext(caller, kCallTimeout);
  // The caller's own credentials: accounts decides whether they may look this up.
  const auto& metadata = caller.client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    context->AddMetadata("authorization", std::string(it->second.data(), it->second.size()));
  }
  const grpc::Status status =
      accounts::v1::AccountsService::NewStub(accounts_)->LookupUserPublicKey(context.get(), request,
                                                                             &response);
  if (!status.ok()) return kit::FromCall(status, *context);
  absl::string_view user = response.user();
  if (!absl::ConsumePrefix(&user, "users/")) {
    return absl::InternalError("accounts answered a malformed user name");
  }
  return std::string(user);
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
