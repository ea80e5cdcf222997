#include "tests/integration/bitcache.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "bitcontent/accounts/v1/accounts_admin_service.grpc.pb.h"
#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "bitcontent/wallet/v1/wallet_internal_service.grpc.pb.h"
#include "libs/kit/channel.h"
#include "services/wallet/wallet_ids.h"

namespace bitcontent::testing {

std::string UserIdOf(Rest& rest, const std::string& token) {
  const http::ClientResponse me = rest.Get("/v1/users/me", token);
  REQUIRE(me.status == 200);
  return Text(Json(me.body), "name").substr(std::string("users/").size());
}

google::protobuf::Struct WalletOf(Rest& rest, const std::string& token) {
  const http::ClientResponse wallet = rest.Get("/v1/users/me/wallet", token);
  INFO(wallet.body);
  REQUIRE(wallet.status == 200);
  return Json(wallet.body);
}

uint64_t AvailableMsat(Rest& rest, const std::string& token) {
  return Unsigned(WalletOf(rest, token), "availableMsat");
}

void Fund(TestSuite& suite, const std::string& user_id, uint64_t amount_msat,
          const std::string& reference) {
  wallet::v1::CreateTransfersRequest request;
  wallet::v1::Transfer& transfer = *request.add_transfers();
  transfer.set_id(ledger::IdToBytes(wallet::PaymentTransferId(reference, user_id)));
  transfer.set_debit_account_id(
      ledger::IdToBytes(wallet::SystemAccountId(wallet::v1::ACCOUNT_CODE_OPERATOR_ADJUSTMENTS)));
  transfer.set_credit_account_id(ledger::IdToBytes(wallet::MemberAccountId(user_id)));
  transfer.set_amount_msat(amount_msat);
  transfer.set_ledger(wallet::kBitcoinLedger);
  transfer.set_code(wallet::v1::TRANSFER_CODE_ADJUSTMENT);
  const auto stub = wallet::v1::WalletInternalService::NewStub(
      kit::NewChannel(suite->addresses("wallet").at("grpc")));
  {
    // The wallet exists from the member's first call; a test may fund it before that.
    wallet::v1::EnsureMemberWalletRequest ensure;
    ensure.set_user(absl::StrCat("users/", user_id));
    wallet::v1::Wallet made;
    auto context = kit::NewCallContext(absl::Seconds(10));
    const grpc::Status status = stub->EnsureMemberWallet(context.get(), ensure, &made);
    INFO(status.error_message());
    REQUIRE(status.ok());
  }
  wallet::v1::CreateTransfersResponse response;
  auto context = kit::NewCallContext(absl::Seconds(10));
  const grpc::Status status = stub->CreateTransfers(context.get(), request, &response);
  INFO(status.error_message());
  REQUIRE(status.ok());
  REQUIRE(response.results(0) == wallet::v1::CREATE_TRANSFER_RESULT_OK);
}

std::string ApiKey(Member& member, common::v1::Scope scope, const std::string& display_name,
                   uint64_t spend_limit_msat) {
  accounts::v1::CreateApiKeyRequest create;
  create.set_parent("users/me");
  create.set_display_name(display_name);
  create.add_scopes(scope);
  if (spend_limit_msat != 0) {
    create.mutable_spend_limit()->set_limit_msat(spend_limit_msat);
    create.mutable_spend_limit()->set_period(accounts::v1::SPEND_LIMIT_PERIOD_LIFETIME);
  }
  absl::StatusOr<accounts::v1::CreateApiKeyResponse> key = member.client->CreateApiKey(create);
  INFO(key.status().ToString());
  REQUIRE(key.ok());
  return key->secret();
}

void SetUserState(TestSuite& suite, const std::string& operator_token, const std::string& user_id,
                  accounts::v1::UserState state) {
  auto admin = accounts::v1::AccountsAdminService::NewStub(
      kit::NewChannel(suite->addresses("gateway").at("public_grpc")));
  accounts::v1::SetUserStateRequest request;
  request.set_user(absl::StrCat("users/", user_id));
  request.set_state(state);
  request.set_reason("test");
  accounts::v1::User user;
  auto context = kit::NewCallContext(absl::Seconds(10));
  context->AddMetadata("authorization", absl::StrCat("Bearer ", operator_token));
  const grpc::Status status = admin->SetUserState(context.get(), request, &user);
  INFO(status.error_message());
  REQUIRE(status.ok());
}

}  // namespace bitcontent::testing
