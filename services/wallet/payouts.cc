#include "services/wallet/payouts.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/proto_time.h"
#include "libs/bitcoin/deposit_address.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/kit/shown_text.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "libs/store/write_batch.h"
#include "services/wallet/member_wallets.h"
#include "services/wallet/payments.h"
#include "services/wallet/transfer_outcome.h"
#include "services/wallet/wallet_ids.h"

namespace bitcontent::wallet {
namespace {

constexpr size_t kRejectReasonBytesMax = 500;
// A payout id is its hold's id in hex.
constexpr size_t kPayoutIdLength = 32;

uint64_t Nanos(const google::protobuf::Timestamp& time) {
  return static_cast<uint64_t>(absl::ToUnixNanos(auth::TimeFromProto(time)));
}

// request time || payout id: the order of a member's list and of each state's list.
std::string TimeIdSuffix(const v1::Payout& payout, std::string_view payout_id) {
  std::string suffix = store::EncodeUint64(Nanos(payout.request_time()));
  suffix.append(payout_id);
  return suffix;
}

std::string StateKey(v1::PayoutState state, const v1::Payout& payout, std::string_view payout_id) {
  return absl::StrCat(std::string(1, static_cast<char>(state)), TimeIdSuffix(payout, payout_id));
}

std::string_view PayoutIdOf(const v1::Payout& payout) {
  const std::string_view name = payout.name();
  return name.substr(name.rfind('/') + 1);
}

absl::Status CheckTxid(std::string_view txid) {
  const bool hex = txid.size() == 64 && std::all_of(txid.begin(), txid.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  return hex ? absl::OkStatus()
             : kit::FieldError("txid",
                               "must be the broadcast transaction's id: 64 lowercase "
                               "hex characters, as Bitcoin Core shows it");
}

absl::string_view Sv(std::string_view text) { return {text.data(), text.size()}; }

// A page token: the hex of the last listed key's suffix (after the scan prefix).
absl::StatusOr<std::optional<std::string>> StartAfter(std::string_view prefix,
                                                      std::string_view page_token) {
  if (page_token.empty()) return std::optional<std::string>();
  std::string suffix;
  if (page_token.size() % 2 != 0 || !absl::c_all_of(page_token, absl::ascii_isxdigit)) {
    return kit::FieldError("page_token", "is not a token this listing returned");
  }
  suffix = absl::HexStringToBytes(Sv(page_token));
  return std::optional<std::string>(absl::StrCat(Sv(prefix), suffix));
}

}  // namespace

absl::StatusOr<std::optional<storage::PayoutRecord>> Payouts::Load(
    std::string_view payout_id) const {
  return store::FindRecord<storage::PayoutRecord>(db_.store(), db_.payouts, Sv(payout_id));
}

absl::Status Payouts::Save(const storage::PayoutRecord& record, v1::PayoutState previous) {
  const v1::Payout& payout = record.payout();
  const std::string_view id = PayoutIdOf(payout);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.payouts, Sv(id), record);
  batch.Put(db_.user_payouts, absl::StrCat(record.user_id(), TimeIdSuffix(payout, id)), "");
  if (previous != v1::PAYOUT_STATE_UNSPECIFIED && previous != payout.state()) {
    batch.Delete(db_.payouts_by_state, StateKey(previous, payout, id));
  }
  batch.Put(db_.payouts_by_state, StateKey(payout.state(), payout, id), record.user_id());
  return db_.store().Write(&batch, {.sync = true});
}

absl::Status Payouts::Forget(const storage::PayoutRecord& record) {
  const v1::Payout& payout = record.payout();
  const std::string_view id = PayoutIdOf(payout);
  store::WriteBatch batch;
  batch.Delete(db_.payouts, id);
  batch.Delete(db_.user_payouts, absl::StrCat(record.user_id(), TimeIdSuffix(payout, id)));
  batch.Delete(db_.payouts_by_state, StateKey(payout.state(), payout, id));
  return db_.store().Write(&batch, {.sync = true});
}

absl::StatusOr<v1::Payout> Payouts::Request(const PayoutOrder& order, absl::Time now) {
  if (absl::Status checked = CheckRequestId(order.request_id); !checked.ok()) return checked;
  if (order.amount_msat == 0 || order.amount_msat % 1000 != 0) {
    return kit::FieldError("amount_msat",
                           "must be whole satoshi: a positive multiple of 1000 msat");
  }
  if (order.amount_msat < settings_.min_msat) {
    return kit::FieldError("amount_msat", absl::StrCat("is below this server's minimum payout of ",
                                                       settings_.min_msat / 1000, " sat (",
                                                       settings_.min_msat, " msat)"));
  }
  if (order.address.size() > bitcoin::kPayoutAddressLengthMax) {
    return kit::FieldError("address", "is too long to be a Bitcoin address");
  }
  if (absl::Status valid = bitcoin::ValidatePayoutAddress(Sv(order.address), settings_.network);
      !valid.ok()) {
    return kit::FieldError("address", valid.message());
  }
  const ledger::Id hold = PayoutHoldId(order.user_id, order.request_id);
  const std::string id = IdToHex(hold);
  absl::MutexLock lock(&locks_.For(id));
  absl::StatusOr<std::optional<storage::PayoutRecord>> existing = Load(id);
  if (!existing.ok()) return existing.status();
  storage::PayoutRecord record;
  if (existing->has_value()) {
    record = **existing;
    if (record.payout().address() != order.address ||
        record.payout().amount_msat() != order.amount_msat) {
      return kit::WithReason(
          absl::FailedPreconditionError("this request_id (Idempotency-Key) was already used for "
                                        "a payout with another address or amount; use a new one"),
          common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
    }
  } else {
    record.set_user_id(std::string(order.user_id));
    v1::Payout& payout = *record.mutable_payout();
    payout.set_name(absl::StrCat(WalletName(order.user_id), "/payouts/", id));
    payout.set_address(std::string(order.address));
    payout.set_amount_msat(order.amount_msat);
    payout.set_state(v1::PAYOUT_STATE_PENDING_APPROVAL);
    payout.set_hold_transfer_id(ledger::IdToBytes(hold));
    payout.set_request_id(std::string(order.request_id));
    *payout.mutable_request_time() = auth::ProtoFromTime(now);
    storage::TransferNote note;
    note.set_reference(payout.name());
    note.set_request_id(payout.request_id());
    if (absl::StatusOr<storage::TransferNote> stored = notes_->PutIfAbsent(hold, note);
        !stored.ok()) {
      return stored.status();
    }
    // The record goes first so that a committed hold always has one; Reconcile drops a
    // record whose hold never committed.
    if (absl::Status saved = Save(record, v1::PAYOUT_STATE_UNSPECIFIED); !saved.ok()) return saved;
  }
  const ledger::Transfer transfer = {
      .id = hold,
      .debit_account_id = MemberAccountId(order.user_id),
      .credit_account_id = SystemAccountId(v1::ACCOUNT_CODE_CHAIN_PAYOUTS),
      .amount_msat = order.amount_msat,
      .user_data_128 = hold,
      .ledger = kBitcoinLedger,
      .code = v1::TRANSFER_CODE_PAYOUT,
      .flags = ledger::kPending};
  if (absl::Status held = Submit(ledger_, {&transfer, 1}); !held.ok()) {
    if (!existing->has_value()) {
      if (absl::Status forgotten = Forget(record); !forgotten.ok()) return forgotten;
    }
    return held;
  }
  if (!existing->has_value()) PendingChanged(+1, order.amount_msat);
  return record.payout();
}

absl::StatusOr<v1::Payout> Payouts::Cancel(std::string_view user_id, std::string_view name,
                                           absl::Time now) {
  return Decide(name, Decision::kCancel, "cancelled by the member", user_id, user_id, now);
}

absl::StatusOr<v1::Payout> Payouts::Approve(std::string_view name, std::string_view txid,
                                            std::string_view operator_user_id, absl::Time now,
                                            const PayeeCheck& payee_ok) {
  if (absl::Status checked = CheckTxid(txid); !checked.ok()) return checked;
  return Decide(name, Decision::kApprove, txid, operator_user_id, std::nullopt, now, &payee_ok);
}

absl::StatusOr<v1::Payout> Payouts::Reject(std::string_view name, std::string_view reason,
                                           std::string_view operator_user_id, absl::Time now) {
  if (reason.empty()) return kit::FieldError("reason", "is required: the member is shown it");
  if (reason.size() > kRejectReasonBytesMax) {
    return kit::FieldError("reason", absl::StrCat("is at most ", kRejectReasonBytesMax, " bytes"));
  }
  // The member's terminal shows it.
  if (absl::Status shown = kit::CheckShownText(reason, "reason", kRejectReasonBytesMax);
      !shown.ok()) {
    return shown;
  }
  return Decide(name, Decision::kReject, reason, operator_user_id, std::nullopt, now);
}

absl::StatusOr<v1::Payout> Payouts::Decide(std::string_view name, Decision decision,
                                           std::string_view detail, std::string_view by_user_id,
                                           std::optional<std::string_view> owner, absl::Time now,
                                           const PayeeCheck* payee_ok) {
  const std::vector<absl::string_view> parts = absl::StrSplit(Sv(name), '/');
  const auto not_found = [&] { return absl::NotFoundError(absl::StrCat("no payout ", Sv(name))); };
  if (parts.size() != 5 || parts[0] != "users" || parts[2] != "wallet" || parts[3] != "payouts") {
    return kit::FieldError("name", "must be \"users/{user}/wallet/payouts/{payout}\"");
  }
  // A member names only their own payouts, as for every other wallet call (and whether
  // another member's payout exists is not theirs to learn).
  if (owner.has_value() && parts[1] != Sv(*owner)) {
    return absl::PermissionDeniedError(
        "only your own wallet's payouts: use \"users/me/wallet/payouts/{payout}\"");
  }
  const std::string id(parts[4]);
  const std::optional<ledger::Id> hold = IdFromHex(id);
  if (!hold.has_value()) return not_found();
  absl::MutexLock lock(&locks_.For(id));
  absl::StatusOr<std::optional<storage::PayoutRecord>> loaded = Load(id);
  if (!loaded.ok()) return loaded.status();
  // An operator may name the payout under any member ("users/-/...", AIP-159): payout
  // ids are unique.
  const bool any_member = !owner.has_value() && parts[1] == "-";
  if (!loaded->has_value() || (!any_member && (*loaded)->user_id() != parts[1])) {
    return not_found();
  }
  storage::PayoutRecord record = **loaded;
  const v1::PayoutState target = decision == Decision::kApprove  ? v1::PAYOUT_STATE_APPROVED
                                 : decision == Decision::kReject ? v1::PAYOUT_STATE_REJECTED
                                                                 : v1::PAYOUT_STATE_CANCELLED;
  const v1::PayoutState state = record.payout().state();
  // A retry of the same decision answers it again; the same decision with another txid
  // or reason is refused like the other decision, never kept silently.
  const bool same_detail = decision == Decision::kApprove ? record.payout().txid() == detail
                           : decision == Decision::kReject
                               ? record.payout().reject_reason() == detail
                               : true;
  if (state == target && same_detail) return record.payout();
  if (state != v1::PAYOUT_STATE_PENDING_APPROVAL) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the payout was already decided: ", v1::PayoutState_Name(state),
        state == v1::PAYOUT_STATE_APPROVED ? absl::StrCat(" with txid ", record.payout().txid())
        : state == v1::PAYOUT_STATE_REJECTED
            ? absl::StrCat(" with the reason \"", record.payout().reject_reason(), "\"")
            : std::string(),
        "; a decision is final"));
  }
  if (payee_ok != nullptr) {
    if (absl::Status ok = (*payee_ok)(record.user_id()); !ok.ok()) return ok;
  }
  // The address was checked for the network of the request; the server may have been
  // started on another network since, and sending there would lose the funds.
  if (decision == Decision::kApprove) {
    if (absl::Status valid =
            bitcoin::ValidatePayoutAddress(Sv(record.payout().address()), settings_.network);
        !valid.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the payout's address ", record.payout().address(),
                       " is not valid on this server's network (", valid.message(),
                       "); do not send it: reject the payout instead"));
    }
  }
  const ledger::Id decision_id = PayoutDecisionId(*hold);
  storage::TransferNote note;
  note.set_memo(std::string(detail));
  note.set_reference(record.payout().name());
  note.set_actor_user_id(std::string(by_user_id));
  absl::StatusOr<storage::TransferNote> stored = notes_->PutIfAbsent(decision_id, note);
  if (!stored.ok()) return stored.status();
  if (!SameNote(*stored, note)) {
    return absl::AbortedError(
        "another decision on this payout is being recorded; repeat that decision to finish it");
  }
  const ledger::Transfer transfer = {
      .id = decision_id,
      .pending_id = *hold,
      .flags =
          static_cast<uint16_t>(decision == Decision::kApprove ? ledger::kPostPendingTransfer
                                                               : ledger::kVoidPendingTransfer)};
  if (absl::Status decided = Submit(ledger_, {&transfer, 1}); !decided.ok()) return decided;
  v1::Payout& payout = *record.mutable_payout();
  payout.set_state(target);
  if (decision == Decision::kApprove) payout.set_txid(std::string(detail));
  if (decision == Decision::kReject) payout.set_reject_reason(std::string(detail));
  payout.set_decided_by(absl::StrCat("users/", Sv(by_user_id)));
  *payout.mutable_decide_time() = auth::ProtoFromTime(now);
  if (absl::Status saved = Save(record, state); !saved.ok()) return saved;
  PendingChanged(-1, payout.amount_msat());
  return payout;
}

void Payouts::PendingChanged(int64_t count, uint64_t msat) const {
  if (!settings_.on_pending_change) return;
  settings_.on_pending_change(count,
                              count < 0 ? -static_cast<int64_t>(msat) : static_cast<int64_t>(msat));
}

absl::StatusOr<PendingPayouts> Payouts::Pending() const {
  const std::string prefix(1, static_cast<char>(v1::PAYOUT_STATE_PENDING_APPROVAL));
  PendingPayouts pending;
  store::PrefixIterator it = db_.store().Scan(db_.payouts_by_state, {.prefix = prefix});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<std::optional<storage::PayoutRecord>> record =
        Load(it.key().substr(it.key().size() - kPayoutIdLength));
    if (!record.ok()) return record.status();
    if (!record->has_value()) continue;
    ++pending.count;
    pending.msat += (*record)->payout().amount_msat();
  }
  if (absl::Status status = it.status(); !status.ok()) return status;
  return pending;
}

absl::Status Payouts::Reconcile(absl::Time now) {
  const std::string prefix(1, static_cast<char>(v1::PAYOUT_STATE_PENDING_APPROVAL));
  std::vector<std::string> ids;
  store::PrefixIterator it = db_.store().Scan(db_.payouts_by_state, {.prefix = prefix});
  for (; it.Valid(); it.Next())
    ids.emplace_back(it.key().substr(it.key().size() - kPayoutIdLength));
  if (absl::Status status = it.status(); !status.ok()) return status;
  for (const std::string& id : ids) {
    absl::StatusOr<std::optional<storage::PayoutRecord>> record = Load(id);
    if (!record.ok()) return record.status();
    const std::optional<ledger::Id> hold = IdFromHex(id);
    if (!record->has_value() || !hold.has_value()) continue;
    absl::StatusOr<ledger::PendingState> pending = ledger_->LookupPending(*hold);
    if (absl::IsNotFound(pending.status())) {
      // The hold never committed, so the request was never acknowledged: forget it.
      if (absl::Status forgotten = Forget(**record); !forgotten.ok()) return forgotten;
      continue;
    }
    if (!pending.ok()) return pending.status();
    if (pending->status == ledger::PendingStatus::kPending) continue;
    // Decided in the ledger but not recorded: the decision's note says what it was.
    const ledger::Id decision_id = PayoutDecisionId(*hold);
    absl::StatusOr<std::vector<std::optional<storage::TransferNote>>> notes =
        notes_->Get({&decision_id, 1});
    if (!notes.ok()) return notes.status();
    const storage::TransferNote note = (*notes)[0].value_or(storage::TransferNote());
    const Decision decision = pending->status == ledger::PendingStatus::kPosted ? Decision::kApprove
                              : note.actor_user_id() == (*record)->user_id()    ? Decision::kCancel
                                                                                : Decision::kReject;
    absl::StatusOr<v1::Payout> finished = Decide((*record)->payout().name(), decision, note.memo(),
                                                 note.actor_user_id(), std::nullopt, now);
    if (!finished.ok()) return finished.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<Payouts::Page> Payouts::ListIndex(store::ColumnFamily index, std::string_view prefix,
                                                 bool newest_first, int32_t page_size,
                                                 std::string_view page_token) const {
  absl::StatusOr<size_t> size =
      kit::PageSizeOf(page_size, {.default_size = kPageSizeDefault, .max = kPageSizeMax});
  if (!size.ok()) return size.status();
  absl::StatusOr<std::optional<std::string>> start = StartAfter(prefix, page_token);
  if (!start.ok()) return start.status();
  Page page;
  store::PrefixIterator it = db_.store().Scan(
      index, {.prefix = prefix,
              .start_after = *start ? std::optional<std::string_view>(**start) : std::nullopt,
              .reverse = newest_first,
              .limit = *size + 1});
  std::string last_suffix;
  for (; it.Valid(); it.Next()) {
    if (page.payouts.size() == *size) {
      page.next_page_token = absl::BytesToHexString(last_suffix);
      break;
    }
    last_suffix = std::string(it.key().substr(prefix.size()));
    // Every index key ends with the payout id.
    absl::StatusOr<std::optional<storage::PayoutRecord>> record =
        Load(it.key().substr(it.key().size() - kPayoutIdLength));
    if (!record.ok()) return record.status();
    if (record->has_value()) page.payouts.push_back((*record)->payout());
  }
  if (absl::Status status = it.status(); !status.ok()) return status;
  return page;
}

absl::StatusOr<v1::ListPayoutsResponse> Payouts::List(std::string_view user_id, int32_t page_size,
                                                      std::string_view page_token) const {
  absl::StatusOr<Page> page =
      ListIndex(db_.user_payouts, user_id, /*newest_first=*/true, page_size, page_token);
  if (!page.ok()) return page.status();
  v1::ListPayoutsResponse response;
  response.mutable_payouts()->Add(page->payouts.begin(), page->payouts.end());
  response.set_next_page_token(page->next_page_token);
  return response;
}

absl::StatusOr<v1::SearchPayoutsResponse> Payouts::Search(v1::PayoutState state, int32_t page_size,
                                                          std::string_view page_token) const {
  // Unspecified: every state, walked one state after the other.
  const std::string prefix =
      state == v1::PAYOUT_STATE_UNSPECIFIED ? "" : std::string(1, static_cast<char>(state));
  absl::StatusOr<Page> page =
      ListIndex(db_.payouts_by_state, prefix, /*newest_first=*/false, page_size, page_token);
  if (!page.ok()) return page.status();
  v1::SearchPayoutsResponse response;
  response.mutable_payouts()->Add(page->payouts.begin(), page->payouts.end());
  response.set_next_page_token(page->next_page_token);
  return response;
}

}  // namespace bitcontent::wallet
