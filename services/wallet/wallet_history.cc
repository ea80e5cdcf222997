#include "services/wallet/wallet_history.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "services/wallet/wallet_ids.h"

namespace bitcontent::wallet {
namespace {

uint64_t Nanos(absl::Time time) { return static_cast<uint64_t>(absl::ToUnixNanos(time)); }

v1::TransactionState StateOf(ledger::PendingStatus status) {
  switch (status) {
    case ledger::PendingStatus::kPending:
      return v1::TRANSACTION_STATE_PENDING;
    case ledger::PendingStatus::kPosted:
      return v1::TRANSACTION_STATE_POSTED;
    case ledger::PendingStatus::kVoided:
      return v1::TRANSACTION_STATE_VOIDED;
    case ledger::PendingStatus::kExpired:
      return v1::TRANSACTION_STATE_EXPIRED;
  }
  return v1::TRANSACTION_STATE_UNSPECIFIED;
}

// The reference of a transfer the wallet has no note for: made by pricing or
// streaming, which put their purchase or session id in user_data_128.
std::string DerivedReference(const ledger::Transfer& transfer) {
  if (transfer.user_data_128.IsZero()) return "";
  switch (transfer.code) {
    case v1::TRANSFER_CODE_PURCHASE_SHARE:
    case v1::TRANSFER_CODE_PLATFORM_FEE:
      return absl::StrCat("purchases/", IdToHex(transfer.user_data_128));
    case v1::TRANSFER_CODE_STREAM_HOLD:
    case v1::TRANSFER_CODE_STREAM_SHARE:
      return absl::StrCat("streamSessions/", IdToHex(transfer.user_data_128));
    default:
      return "";
  }
}

}  // namespace

absl::StatusOr<ledger::Id> ReferenceId(std::string_view reference) {
  const size_t slash = reference.rfind('/');
  const std::string_view last =
      slash == std::string_view::npos ? std::string_view() : reference.substr(slash + 1);
  if (const std::optional<ledger::Id> id = IdFromHex(last); id.has_value()) return *id;
  const size_t colon = last.find(':');
  uint32_t vout = 0;
  if (reference.find("/deposits/") != std::string_view::npos && colon == 64 &&
      absl::SimpleAtoi(absl::string_view(last.substr(colon + 1).data(), last.size() - colon - 1),
                       &vout)) {
    return DepositTransferId(last.substr(0, colon), vout);
  }
  return kit::FieldError("reference",
                         "must name a purchase, stream session, payment, payout or deposit, "
                         "e.g. \"purchases/{32 hex digits}\"");
}

absl::StatusOr<v1::ListWalletTransactionsResponse> WalletHistory::List(
    std::string_view user_id, const v1::ListWalletTransactionsRequest& request) const {
  absl::StatusOr<size_t> page_size =
      kit::PageSizeOf(request.page_size(), {.default_size = kPageSizeDefault, .max = kPageSizeMax});
  if (!page_size.ok()) return page_size.status();
  ledger::AccountTransfersFilter filter = {
      .account_id = MemberAccountId(user_id), .limit = *page_size, .reversed = true};
  if (!request.page_token().empty() &&
      !absl::SimpleAtoi(request.page_token(), &filter.cursor_timestamp_ns)) {
    return kit::FieldError("page_token", "is not a token this listing returned");
  }
  if (request.time_range().has_start_time()) {
    filter.timestamp_min_ns = Nanos(auth::TimeFromProto(request.time_range().start_time()));
  }
  if (request.time_range().has_end_time()) {
    const uint64_t end = Nanos(auth::TimeFromProto(request.time_range().end_time()));
    if (end == 0 || end <= filter.timestamp_min_ns) {
      return kit::FieldError("time_range", "end_time must be after start_time");
    }
    filter.timestamp_max_ns = end - 1;  // The range's end is exclusive.
  }
  if (request.codes_size() == 1) filter.code = static_cast<uint16_t>(request.codes(0));
  if (!request.reference().empty()) {
    absl::StatusOr<ledger::Id> reference = ReferenceId(request.reference());
    if (!reference.ok()) return reference.status();
    filter.user_data_128 = *reference;
  }
  absl::StatusOr<ledger::TransferPage> page = ledger_->ListAccountTransfers(filter);
  if (!page.ok()) return page.status();

  std::vector<ledger::Transfer> shown;
  for (ledger::Transfer& transfer : page->transfers) {
    // A post or void shows as the state of its hold's line.
    if (transfer.post_or_void()) continue;
    if (request.codes_size() > 1 && std::none_of(request.codes().begin(), request.codes().end(),
                                                 [&](int code) { return code == transfer.code; })) {
      continue;
    }
    shown.push_back(std::move(transfer));
  }
  std::vector<ledger::Id> ids;
  for (const ledger::Transfer& transfer : shown) ids.push_back(transfer.id);
  absl::StatusOr<std::vector<std::optional<storage::TransferNote>>> notes = notes_->Get(ids);
  if (!notes.ok()) return notes.status();
  v1::ListWalletTransactionsResponse response;
  for (size_t i = 0; i < shown.size(); ++i) {
    absl::StatusOr<v1::WalletTransaction> line = Line(filter.account_id, shown[i], (*notes)[i]);
    if (!line.ok()) return line.status();
    *response.add_transactions() = *std::move(line);
  }
  if (page->next_cursor_timestamp_ns != 0) {
    response.set_next_page_token(absl::StrCat(page->next_cursor_timestamp_ns));
  }
  return response;
}

absl::StatusOr<v1::WalletTransaction> WalletHistory::Line(
    const ledger::Id& account, const ledger::Transfer& transfer,
    const std::optional<storage::TransferNote>& note) const {
  v1::WalletTransaction line;
  line.set_transfer_id(ledger::IdToBytes(transfer.id));
  line.set_code(static_cast<v1::TransferCode>(transfer.code));
  const bool debit = transfer.debit_account_id == account;
  line.set_direction(debit ? v1::DIRECTION_DEBIT : v1::DIRECTION_CREDIT);
  line.set_amount_msat(transfer.amount_msat);
  if (transfer.flags & ledger::kPending) {
    absl::StatusOr<ledger::PendingState> pending = ledger_->LookupPending(transfer.id);
    if (!pending.ok()) return pending.status();
    line.set_state(StateOf(pending->status));
    line.set_posted_amount_msat(pending->posted_amount_msat);
  } else {
    line.set_state(v1::TRANSACTION_STATE_POSTED);
    line.set_posted_amount_msat(transfer.amount_msat);
  }
  // A seller's share of a sale comes straight from the buyer's wallet, but a seller
  // knows a buyer only as the receipt's buyer_ref (docs/pricing.md): the buyer's wallet
  // stays unnamed on the seller's side.
  if (debit || transfer.code != v1::TRANSFER_CODE_PURCHASE_SHARE) {
    absl::StatusOr<std::string> counterparty =
        wallets_->NameOf(debit ? transfer.credit_account_id : transfer.debit_account_id);
    if (!counterparty.ok()) return counterparty.status();
    line.set_counterparty(*counterparty);
  }
  if (note.has_value()) {
    line.set_memo(note->memo());
    line.set_reference(note->reference());
  } else {
    line.set_reference(DerivedReference(transfer));
  }
  *line.mutable_create_time() =
      auth::ProtoFromTime(absl::FromUnixNanos(static_cast<int64_t>(transfer.timestamp_ns)));
  return line;
}

}  // namespace bitcontent::wallet
