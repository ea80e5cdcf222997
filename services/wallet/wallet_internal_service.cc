// WalletInternalService: the ledger's batch API for the other services. Like every
// internal API it is reachable only inside the suite's network; the gateway never
// exposes it (services/gateway/routes.cc).
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/kit/error_details.h"
#include "libs/kit/reply.h"
#include "services/wallet/ledger_proto.h"
#include "services/wallet/wallet_service.h"

namespace bitcontent::wallet {
namespace {

constexpr int32_t kListPageSizeDefault = 100;
constexpr int32_t kEventsPageSizeDefault = 1000;
constexpr uint32_t kEventsWaitMsMax = 60000;

absl::Status TooMany(std::string_view field, int size, size_t max) {
  return kit::FieldError(absl::string_view(field.data(), field.size()),
                         absl::StrCat("has ", size, " entries; at most ", max, " per call"));
}

// A ledger page size: 0 -> the default, above the engine's maximum -> the maximum.
absl::StatusOr<size_t> LedgerPageSize(int32_t page_size, int32_t default_size) {
  if (page_size < 0) return kit::FieldError("page_size", "must not be negative");
  if (page_size == 0) return static_cast<size_t>(default_size);
  return std::min(static_cast<size_t>(page_size), ledger::kListLimitMax);
}

absl::StatusOr<uint64_t> CursorOf(const std::string& page_token) {
  uint64_t cursor = 0;
  if (!page_token.empty() && !absl::SimpleAtoi(page_token, &cursor)) {
    return kit::FieldError("page_token", "is not a token this listing returned");
  }
  return cursor;
}

std::string TokenOf(uint64_t cursor) { return cursor == 0 ? "" : absl::StrCat(cursor); }

absl::StatusOr<std::vector<ledger::Id>> IdsOf(
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  if (static_cast<size_t>(ids.size()) > ledger::kLookupIdsMax) {
    return TooMany("ids", ids.size(), ledger::kLookupIdsMax);
  }
  std::vector<ledger::Id> out;
  out.reserve(ids.size());
  for (const std::string& bytes : ids) {
    absl::StatusOr<ledger::Id> id = IdFromField(bytes, "ids");
    if (!id.ok()) return id.status();
    out.push_back(*id);
  }
  return out;
}

}  // namespace

grpc::Status WalletInternalService::CreateAccounts(grpc::ServerContext* context,
                                                   const v1::CreateAccountsRequest* request,
                                                   v1::CreateAccountsResponse* response) {
  if (static_cast<size_t>(request->accounts_size()) > ledger::kBatchEventsMax) {
    return kit::Reply(context,
                      TooMany("accounts", request->accounts_size(), ledger::kBatchEventsMax));
  }
  std::vector<ledger::Account> accounts;
  accounts.reserve(request->accounts_size());
  for (const v1::LedgerAccount& account : request->accounts()) {
    absl::StatusOr<ledger::Account> parsed = AccountFromProto(account);
    if (!parsed.ok()) return kit::Reply(context, parsed.status());
    accounts.push_back(*parsed);
  }
  absl::StatusOr<std::vector<ledger::CreateAccountResult>> results =
      parts_.ledger->CreateAccounts(accounts);
  if (!results.ok()) return kit::Reply(context, results.status());
  for (const ledger::CreateAccountResult result : *results) {
    response->add_results(ResultToProto(result));
  }
  return grpc::Status::OK;
}

grpc::Status WalletInternalService::CreateTransfers(grpc::ServerContext* context,
                                                    const v1::CreateTransfersRequest* request,
                                                    v1::CreateTransfersResponse* response) {
  if (static_cast<size_t>(request->transfers_size()) > ledger::kBatchEventsMax) {
    return kit::Reply(context,
                      TooMany("transfers", request->transfers_size(), ledger::kBatchEventsMax));
  }
  std::vector<ledger::Transfer> transfers;
  transfers.reserve(request->transfers_size());
  for (const v1::Transfer& transfer : request->transfers()) {
    absl::StatusOr<ledger::Transfer> parsed = TransferFromProto(transfer);
    if (!parsed.ok()) return kit::Reply(context, parsed.status());
    transfers.push_back(*parsed);
  }
  absl::StatusOr<std::vector<ledger::CreateTransferResult>> results =
      parts_.ledger->CreateTransfers(transfers);
  if (!results.ok()) return kit::Reply(context, results.status());
  response->mutable_results()->Reserve(static_cast<int>(results->size()));
  for (const ledger::CreateTransferResult result : *results) {
    response->add_results(ResultToProto(result));
  }
  return grpc::Status::OK;
}

grpc::Status WalletInternalService::LookupAccounts(grpc::ServerContext* context,
                                                   const v1::LookupAccountsRequest* request,
                                                   v1::LookupAccountsResponse* response) {
  absl::StatusOr<std::vector<ledger::Id>> ids = IdsOf(request->ids());
  if (!ids.ok()) return kit::Reply(context, ids.status());
  absl::StatusOr<std::vector<std::optional<ledger::Account>>> found =
      parts_.ledger->LookupAccounts(*ids);
  if (!found.ok()) return kit::Reply(context, found.status());
  for (const std::optional<ledger::Account>& account : *found) {
    if (account.has_value()) *response->add_accounts() = AccountToProto(*account);
  }
  return grpc::Status::OK;
}

grpc::Status WalletInternalService::LookupTransfers(grpc::ServerContext* context,
                                                    const v1::LookupTransfersRequest* request,
                                                    v1::LookupTransfersResponse* response) {
  absl::StatusOr<std::vector<ledger::Id>> ids = IdsOf(request->ids());
  if (!ids.ok()) return kit::Reply(context, ids.status());
  absl::StatusOr<std::vector<std::optional<ledger::Transfer>>> found =
      parts_.ledger->LookupTransfers(*ids);
  if (!found.ok()) return kit::Reply(context, found.status());
  for (const std::optional<ledger::Transfer>& transfer : *found) {
    if (transfer.has_value()) *response->add_transfers() = TransferToProto(*transfer);
  }
  return grpc::Status::OK;
}

grpc::Status WalletInternalService::ListAccountTransfers(
    grpc::ServerContext* context, const v1::ListAccountTransfersRequest* request,
    v1::ListAccountTransfersResponse* response) {
  absl::StatusOr<ledger::Id> account = IdFromField(request->account_id(), "account_id");
  if (!account.ok()) return kit::Reply(context, account.status());
  absl::StatusOr<ledger::Id> reference = IdFromField(request->user_data_128(), "user_data_128");
  if (!reference.ok()) return kit::Reply(context, reference.status());
  absl::StatusOr<size_t> limit = LedgerPageSize(request->page_size(), kListPageSizeDefault);
  if (!limit.ok()) return kit::Reply(context, limit.status());
  absl::StatusOr<uint64_t> cursor = CursorOf(request->page_token());
  if (!cursor.ok()) return kit::Reply(context, cursor.status());
  const bool both = !request->debits() && !request->credits();
  absl::StatusOr<ledger::TransferPage> page =
      parts_.ledger->ListAccountTransfers({.account_id = *account,
                                           .timestamp_min_ns = request->timestamp_min_ns(),
                                           .timestamp_max_ns = request->timestamp_max_ns(),
                                           .debits = both || request->debits(),
                                           .credits = both || request->credits(),
                                           .user_data_128 = *reference,
                                           .code = static_cast<uint16_t>(request->code()),
                                           .cursor_timestamp_ns = *cursor,
                                           .limit = *limit,
                                           .reversed = request->reversed()});
  if (!page.ok()) return kit::Reply(context, page.status());
  for (const ledger::Transfer& transfer : page->transfers) {
    *response->add_transfers() = TransferToProto(transfer);
  }
  response->set_next_page_token(TokenOf(page->next_cursor_timestamp_ns));
  return grpc::Status::OK;
}

grpc::Status WalletInternalService::ListTransfersByReference(
    grpc::ServerContext* context, const v1::ListTransfersByReferenceRequest* request,
    v1::ListTransfersByReferenceResponse* response) {
  absl::StatusOr<ledger::Id> reference = IdFromField(request->user_data_128(), "user_data_128");
  if (!reference.ok()) return kit::Reply(context, reference.status());
  if (reference->IsZero()) {
    return kit::Reply(context, kit::FieldError("user_data_128", "is required (16 bytes)"));
  }
  absl::StatusOr<size_t> limit = LedgerPageSize(request->page_size(), kListPageSizeDefault);
  if (!limit.ok()) return kit::Reply(context, limit.status());
  absl::StatusOr<uint64_t> cursor = CursorOf(request->page_token());
  if (!cursor.ok()) return kit::Reply(context, cursor.status());
  absl::StatusOr<ledger::TransferPage> page = parts_.ledger->ListTransfersByReference(
      {.user_data_128 = *reference, .cursor_timestamp_ns = *cursor, .limit = *limit});
  if (!page.ok()) return kit::Reply(context, page.status());
  for (const ledger::Transfer& transfer : page->transfers) {
    *response->add_transfers() = TransferToProto(transfer);
  }
  response->set_next_page_token(TokenOf(page->next_cursor_timestamp_ns));
  return grpc::Status::OK;
}

grpc::Status WalletInternalService::ListTransferEvents(grpc::ServerContext* context,
                                                       const v1::ListTransferEventsRequest* request,
                                                       v1::ListTransferEventsResponse* response) {
  absl::StatusOr<size_t> limit = LedgerPageSize(request->page_size(), kEventsPageSizeDefault);
  if (!limit.ok()) return kit::Reply(context, limit.status());
  if (request->wait_timeout_ms() > kEventsWaitMsMax) {
    return kit::Reply(context, kit::FieldError("wait_timeout_ms", "is at most 60000"));
  }
  absl::StatusOr<std::vector<ledger::TransferEvent>> events = parts_.ledger->ListTransferEvents(
      request->since_timestamp_ns(), *limit, absl::Milliseconds(request->wait_timeout_ms()));
  if (!events.ok()) return kit::Reply(context, events.status());
  uint64_t last = request->since_timestamp_ns();
  for (const ledger::TransferEvent& event : *events) {
    *response->add_events() = EventToProto(event);
    last = event.timestamp_ns;
  }
  response->set_last_timestamp_ns(last);
  // A full page means more may be waiting.
  response->set_has_more(events->size() == *limit);
  return grpc::Status::OK;
}

grpc::Status WalletInternalService::EnsureMemberWallet(grpc::ServerContext* context,
                                                       const v1::EnsureMemberWalletRequest* request,
                                                       v1::Wallet* response) {
  absl::string_view user = request->user();
  if (!absl::ConsumePrefix(&user, "users/") || user.empty() || user == "me" ||
      absl::StrContains(user, '/')) {
    return kit::Reply(context, kit::FieldError("user", "must be \"users/{user}\" of a member"));
  }
  const std::string user_id(user);
  absl::StatusOr<ledger::Account> account = parts_.wallets->Ensure(user_id);
  if (!account.ok()) return kit::Reply(context, account.status());
  *response = MemberWallets::View(user_id, *account, 0);
  return grpc::Status::OK;
}

grpc::Status WalletInternalService::GetSystemAccounts(grpc::ServerContext* /*context*/,
                                                      const v1::GetSystemAccountsRequest*,
                                                      v1::GetSystemAccountsResponse* response) {
  *response = MemberWallets::SystemAccounts();
  return grpc::Status::OK;
}

}  // namespace bitcontent::wallet
