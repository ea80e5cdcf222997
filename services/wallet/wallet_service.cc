// WalletService: the member-facing handlers.
#include "services/wallet/wallet_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/reply.h"
#include "services/wallet/wallet_ids.h"

namespace bitcontent::wallet {
namespace {

using common::v1::SCOPE_WALLET_PAY;
using common::v1::SCOPE_WALLET_READ;

// The payout name with "users/me" replaced by the caller's id.
std::string OwnName(std::string_view name, const Caller& caller) {
  constexpr std::string_view kMe = "users/me/";
  if (name.substr(0, kMe.size()) == kMe) {
    return absl::StrCat("users/", caller.user_id, "/",
                        absl::string_view(name.data() + kMe.size(), name.size() - kMe.size()));
  }
  return std::string(name);
}

}  // namespace

grpc::Status WalletService::GetWallet(grpc::ServerContext* context,
                                      const v1::GetWalletRequest* request, v1::Wallet* response) {
  absl::StatusOr<Caller> caller =
      parts_.callers->OwnWallet(*context, SCOPE_WALLET_READ, request->name(), "name");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  absl::StatusOr<ledger::Account> account = parts_.wallets->Ensure(caller->user_id);
  if (!account.ok()) return kit::Reply(context, account.status());
  absl::StatusOr<uint64_t> unconfirmed = parts_.chain->UnconfirmedMsat(caller->user_id);
  if (!unconfirmed.ok()) return kit::Reply(context, unconfirmed.status());
  *response = MemberWallets::View(caller->user_id, *account, *unconfirmed);
  return grpc::Status::OK;
}

absl::StatusOr<std::string> WalletService::Payee(const grpc::ServerContext& context,
                                                 const std::string& payer_user_id,
                                                 const v1::PayRequest& request, bool retried) {
  std::string payee;
  switch (request.payee_case()) {
    case v1::PayRequest::kPayeeWallet: {
      absl::StatusOr<std::string> user = UserOfWalletName(request.payee_wallet(), "payee_wallet");
      if (!user.ok()) return user.status();
      // "me" as everywhere else, and ids in either case, as members copy them.
      *user = *user == "me" ? payer_user_id : absl::AsciiStrToUpper(*user);
      if (!ids::IsValidId(*user)) {
        return kit::FieldError("payee_wallet",
                               absl::StrCat("names no member: \"", request.payee_wallet(),
                                            "\" is not users/{id}/wallet with a member's "
                                            "26-character id"));
      }
      // Only active members are paid, by wallet name as by email: a disabled member's
      // wallet takes nothing new.
      if (!retried) {
        if (absl::Status payable = parts_.directory->CheckPayable(context, *user); !payable.ok()) {
          return payable;
        }
      }
      payee = *std::move(user);
      break;
    }
    case v1::PayRequest::kPayeeEmail: {
      absl::StatusOr<std::string> user =
          parts_.directory->UserOfEmail(context, request.payee_email(), /*any_state=*/retried);
      if (!user.ok()) return user.status();
      payee = *std::move(user);
      break;
    }
    case v1::PayRequest::PAYEE_NOT_SET:
      return kit::FieldError("payee", "say whom to pay: payee_wallet or payee_email");
  }
  // Their wallet is made on first use; being paid is a use.
  if (absl::StatusOr<ledger::Account> made = parts_.wallets->Ensure(payee); !made.ok()) {
    return made.status();
  }
  return payee;
}

absl::StatusOr<v1::Payment> WalletService::Pay(const grpc::ServerContext& context,
                                               const Caller& caller,
                                               const v1::PayRequest& request) {
  PaymentOrder order = {.payer_user_id = caller.user_id,
                        .payee_user_id = {},
                        .amount_msat = request.amount_msat(),
                        .memo = request.memo(),
                        .request_id = request.request_id()};
  // The request's own fields first: a bad one needs no question to accounts.
  if (absl::Status fields = CheckPaymentFields(order); !fields.ok()) return fields;
  absl::StatusOr<std::string> payee = Payee(context, caller.user_id, request, /*retried=*/false);
  if (absl::IsNotFound(payee.status())) {
    // No active member: unless it is the retry of a payment made before they stopped
    // being one, which answers that payment.
    absl::StatusOr<bool> made = parts_.payments->Made(caller.user_id, request.request_id());
    if (!made.ok()) return made.status();
    if (*made) payee = Payee(context, caller.user_id, request, /*retried=*/true);
  }
  if (!payee.ok()) return payee.status();
  order.payee_user_id = *payee;
  if (absl::StatusOr<ledger::Account> payer = parts_.wallets->Ensure(caller.user_id); !payer.ok()) {
    return payer.status();
  }
  if (caller.api_key.empty()) return parts_.payments->Pay(order);
  // An API key spends within its limit: charge first (idempotent per payment), give it
  // back only when no payment was made under this request id. A refused retry of one
  // that went through (another memo, another payee) must leave it counted, or pay and
  // refused retry, again and again, would spend past the limit. When that cannot be
  // told, the charge stays: the limit errs low, never money past it.
  const std::string charge_id = IdToHex(PaymentTransferId(caller.user_id, request.request_id()));
  if (absl::Status charged =
          parts_.directory->ChargeApiKey(context, caller.api_key, request.amount_msat(), charge_id);
      !charged.ok()) {
    return charged;
  }
  absl::StatusOr<v1::Payment> payment = parts_.payments->Pay(order);
  if (!payment.ok()) {
    absl::StatusOr<bool> made = parts_.payments->Made(caller.user_id, request.request_id());
    if (made.ok() && !*made) {
      (void)parts_.directory->RefundApiKey(context, caller.api_key, request.amount_msat(),
                                           charge_id);
    }
  }
  return payment;
}

grpc::Status WalletService::Pay(grpc::ServerContext* context, const v1::PayRequest* request,
                                v1::Payment* response) {
  absl::StatusOr<Caller> caller =
      parts_.callers->OwnWallet(*context, SCOPE_WALLET_PAY, request->payer(), "payer");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  return kit::Reply(context, Pay(*context, *caller, *request), response);
}

grpc::Status WalletService::ListWalletTransactions(grpc::ServerContext* context,
                                                   const v1::ListWalletTransactionsRequest* request,
                                                   v1::ListWalletTransactionsResponse* response) {
  absl::StatusOr<Caller> caller =
      parts_.callers->OwnWallet(*context, SCOPE_WALLET_READ, request->parent(), "parent");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  return kit::Reply(context, parts_.history->List(caller->user_id, *request), response);
}

grpc::Status WalletService::CreateDepositAddress(grpc::ServerContext* context,
                                                 const v1::CreateDepositAddressRequest* request,
                                                 v1::DepositAddress* response) {
  absl::StatusOr<Caller> caller =
      parts_.callers->OwnWallet(*context, SCOPE_WALLET_READ, request->parent(), "parent");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  if (absl::StatusOr<ledger::Account> account = parts_.wallets->Ensure(caller->user_id);
      !account.ok()) {
    return kit::Reply(context, account.status());
  }
  return kit::Reply(context, parts_.deposit_addresses->Create(caller->user_id, absl::Now()),
                    response);
}

grpc::Status WalletService::ListDepositAddresses(grpc::ServerContext* context,
                                                 const v1::ListDepositAddressesRequest* request,
                                                 v1::ListDepositAddressesResponse* response) {
  absl::StatusOr<Caller> caller =
      parts_.callers->OwnWallet(*context, SCOPE_WALLET_READ, request->parent(), "parent");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  return kit::Reply(
      context,
      parts_.deposit_addresses->List(caller->user_id, request->page_size(), request->page_token()),
      response);
}

grpc::Status WalletService::ListDeposits(grpc::ServerContext* context,
                                         const v1::ListDepositsRequest* request,
                                         v1::ListDepositsResponse* response) {
  absl::StatusOr<Caller> caller =
      parts_.callers->OwnWallet(*context, SCOPE_WALLET_READ, request->parent(), "parent");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  return kit::Reply(
      context,
      parts_.chain->ListDeposits(caller->user_id, request->page_size(), request->page_token()),
      response);
}

grpc::Status WalletService::RequestPayout(grpc::ServerContext* context,
                                          const v1::RequestPayoutRequest* request,
                                          v1::Payout* response) {
  absl::StatusOr<Caller> caller =
      parts_.callers->OwnWallet(*context, SCOPE_WALLET_PAY, request->parent(), "parent");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  if (!caller->api_key.empty()) {
    return kit::Reply(
        context, absl::PermissionDeniedError("withdrawals need your own session, not an API key"));
  }
  if (absl::StatusOr<ledger::Account> account = parts_.wallets->Ensure(caller->user_id);
      !account.ok()) {
    return kit::Reply(context, account.status());
  }
  return kit::Reply(context,
                    parts_.payouts->Request({.user_id = caller->user_id,
                                             .address = request->address(),
                                             .amount_msat = request->amount_msat(),
                                             .request_id = request->request_id()},
                                            absl::Now()),
                    response);
}

grpc::Status WalletService::ListPayouts(grpc::ServerContext* context,
                                        const v1::ListPayoutsRequest* request,
                                        v1::ListPayoutsResponse* response) {
  absl::StatusOr<Caller> caller =
      parts_.callers->OwnWallet(*context, SCOPE_WALLET_READ, request->parent(), "parent");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  return kit::Reply(
      context, parts_.payouts->List(caller->user_id, request->page_size(), request->page_token()),
      response);
}

grpc::Status WalletService::CancelPayout(grpc::ServerContext* context,
                                         const v1::CancelPayoutRequest* request,
                                         v1::Payout* response) {
  absl::StatusOr<Caller> caller = parts_.callers->Member(*context, SCOPE_WALLET_PAY);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  return kit::Reply(
      context,
      parts_.payouts->Cancel(caller->user_id, OwnName(request->name(), *caller), absl::Now()),
      response);
}

}  // namespace bitcontent::wallet
