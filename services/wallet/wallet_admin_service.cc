// WalletAdminService: operator decisions on payouts and the ledger's totals. The
// gateway lets only operators' sessions through; each handler checks again.
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/kit/reply.h"
#include "services/wallet/wallet_service.h"

namespace bitcontent::wallet {
namespace {

// Sums wrap modulo 2^64 on the wire (see LedgerTotals).
uint64_t Low64(ledger::Sum sum) { return static_cast<uint64_t>(sum); }

}  // namespace

grpc::Status WalletAdminService::SearchPayouts(grpc::ServerContext* context,
                                               const v1::SearchPayoutsRequest* request,
                                               v1::SearchPayoutsResponse* response) {
  absl::StatusOr<std::string> operator_id = parts_.callers->Operator(*context);
  if (!operator_id.ok()) return kit::Reply(context, operator_id.status());
  return kit::Reply(
      context,
      parts_.payouts->Search(request->state(), request->page_size(), request->page_token()),
      response);
}

grpc::Status WalletAdminService::ApprovePayout(grpc::ServerContext* context,
                                               const v1::ApprovePayoutRequest* request,
                                               v1::Payout* response) {
  absl::StatusOr<std::string> operator_id = parts_.callers->Operator(*context);
  if (!operator_id.ok()) return kit::Reply(context, operator_id.status());
  // A disabled member's funds leave only once an operator enabled them again: disabling
  // (for fraud, a chargeback) must not be undone by a payout approved from the queue.
  const auto active = [&](std::string_view user_id) -> absl::Status {
    const absl::Status payable = parts_.directory->CheckPayable(
        *context, {user_id.data(), user_id.size()}, MemberDirectory::Freshness::kNow);
    if (!absl::IsNotFound(payable)) return payable;
    return absl::FailedPreconditionError(absl::StrCat(
        "users/", absl::string_view(user_id.data(), user_id.size()),
        " is not an active member (disabled): the payout is not to be sent; reject it, or "
        "enable them first (bitcontent-admin user enable)"));
  };
  return kit::Reply(
      context,
      parts_.payouts->Approve(request->name(), request->txid(), *operator_id, absl::Now(), active),
      response);
}

grpc::Status WalletAdminService::RejectPayout(grpc::ServerContext* context,
                                              const v1::RejectPayoutRequest* request,
                                              v1::Payout* response) {
  absl::StatusOr<std::string> operator_id = parts_.callers->Operator(*context);
  if (!operator_id.ok()) return kit::Reply(context, operator_id.status());
  return kit::Reply(
      context,
      parts_.payouts->Reject(request->name(), request->reason(), *operator_id, absl::Now()),
      response);
}

grpc::Status WalletAdminService::GetLedgerTotals(grpc::ServerContext* context,
                                                 const v1::GetLedgerTotalsRequest*,
                                                 v1::LedgerTotals* response) {
  absl::StatusOr<std::string> operator_id = parts_.callers->Operator(*context);
  if (!operator_id.ok()) return kit::Reply(context, operator_id.status());
  const ledger::Totals totals = parts_.ledger->totals();
  response->set_account_count(totals.account_count);
  response->set_transfer_count(totals.transfer_count);
  response->set_debits_posted_msat(Low64(totals.debits_posted_msat));
  response->set_credits_posted_msat(Low64(totals.credits_posted_msat));
  response->set_debits_pending_msat(Low64(totals.debits_pending_msat));
  response->set_credits_pending_msat(Low64(totals.credits_pending_msat));
  response->set_balanced(totals.Balanced());
  response->set_last_timestamp_ns(totals.last_timestamp_ns);
  return grpc::Status::OK;
}

grpc::Status WalletAdminService::GetChainWatcherStatus(grpc::ServerContext* context,
                                                       const v1::GetChainWatcherStatusRequest*,
                                                       v1::ChainWatcherStatus* response) {
  absl::StatusOr<std::string> operator_id = parts_.callers->Operator(*context);
  if (!operator_id.ok()) return kit::Reply(context, operator_id.status());
  absl::StatusOr<v1::ChainWatcherStatus> status = parts_.chain->Status();
  if (!status.ok()) return kit::Reply(context, status.status());
  absl::StatusOr<uint32_t> next = parts_.deposit_addresses->NextIndex();
  if (!next.ok()) return kit::Reply(context, next.status());
  *response = *std::move(status);
  response->set_next_address_index(*next);
  return grpc::Status::OK;
}

}  // namespace bitcontent::wallet
