#include "services/wallet/payments.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/kit/shown_text.h"
#include "services/wallet/transfer_outcome.h"
#include "services/wallet/wallet_ids.h"

namespace bitcontent::wallet {
namespace {

std::string PaymentName(std::string_view payer_user_id, const ledger::Id& id) {
  return absl::StrCat(WalletName(payer_user_id), "/payments/", IdToHex(id));
}

}  // namespace

absl::Status CheckRequestId(std::string_view request_id, std::string_view field) {
  const absl::string_view name(field.data(), field.size());
  if (request_id.empty()) {
    return kit::FieldError(name,
                           "is required: an idempotency key (the Idempotency-Key header "
                           "over REST), so that a retry never pays twice");
  }
  if (request_id.size() > kRequestIdBytesMax) {
    return kit::FieldError(name, absl::StrCat("is at most ", kRequestIdBytesMax, " characters"));
  }
  for (const char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      return kit::FieldError(name, kRequestIdCharacters);
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPaymentFields(const PaymentOrder& order) {
  if (absl::Status checked = CheckRequestId(order.request_id); !checked.ok()) return checked;
  if (order.amount_msat == 0) return kit::FieldError("amount_msat", "must be more than 0");
  return kit::CheckShownText(order.memo, "memo", kMemoCharactersMax);
}

absl::StatusOr<v1::Payment> Payments::Pay(const PaymentOrder& order) {
  if (absl::Status checked = CheckPaymentFields(order); !checked.ok()) return checked;
  if (order.payer_user_id == order.payee_user_id) {
    return kit::FieldError("payee", "is your own wallet; pay another member");
  }
  const ledger::Id id = PaymentTransferId(order.payer_user_id, order.request_id);
  storage::TransferNote note;
  note.set_memo(std::string(order.memo));
  note.set_reference(PaymentName(order.payer_user_id, id));
  note.set_request_id(std::string(order.request_id));
  absl::StatusOr<storage::TransferNote> stored = notes_->PutIfAbsent(id, note);
  if (!stored.ok()) return stored.status();
  if (!SameNote(*stored, note)) {
    return kit::WithReason(
        absl::FailedPreconditionError("this request_id (Idempotency-Key) was already used for a "
                                      "payment with another memo; use a new one"),
        common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
  }
  const ledger::Transfer transfer = {.id = id,
                                     .debit_account_id = MemberAccountId(order.payer_user_id),
                                     .credit_account_id = MemberAccountId(order.payee_user_id),
                                     .amount_msat = order.amount_msat,
                                     .user_data_128 = id,
                                     .ledger = kBitcoinLedger,
                                     .code = v1::TRANSFER_CODE_PAYMENT};
  if (absl::Status paid = Submit(ledger_, {&transfer, 1}); !paid.ok()) return paid;
  return Get(order.payer_user_id, IdToHex(id));
}

absl::StatusOr<bool> Payments::Made(std::string_view payer_user_id,
                                    std::string_view request_id) const {
  const ledger::Id id = PaymentTransferId(payer_user_id, request_id);
  absl::StatusOr<std::vector<std::optional<ledger::Transfer>>> transfers =
      ledger_->LookupTransfers({&id, 1});
  if (!transfers.ok()) return transfers.status();
  return (*transfers)[0].has_value();
}

absl::StatusOr<v1::Payment> Payments::Get(std::string_view payer_user_id,
                                          std::string_view payment_id) const {
  const std::optional<ledger::Id> id = IdFromHex(payment_id);
  const auto not_found = [&] {
    return absl::NotFoundError(
        absl::StrCat("no payment ", WalletName(payer_user_id), "/payments/",
                     absl::string_view(payment_id.data(), payment_id.size())));
  };
  if (!id.has_value()) return not_found();
  absl::StatusOr<std::vector<std::optional<ledger::Transfer>>> transfers =
      ledger_->LookupTransfers({&*id, 1});
  if (!transfers.ok()) return transfers.status();
  const std::optional<ledger::Transfer>& transfer = (*transfers)[0];
  if (!transfer.has_value() || transfer->code != v1::TRANSFER_CODE_PAYMENT ||
      transfer->debit_account_id != MemberAccountId(payer_user_id)) {
    return not_found();
  }
  absl::StatusOr<std::vector<std::optional<storage::TransferNote>>> notes = notes_->Get({&*id, 1});
  if (!notes.ok()) return notes.status();
  return Describe(*transfer, (*notes)[0].value_or(storage::TransferNote()));
}

absl::StatusOr<v1::Payment> Payments::Describe(const ledger::Transfer& transfer,
                                               const storage::TransferNote& note) const {
  absl::StatusOr<std::string> payer = wallets_->NameOf(transfer.debit_account_id);
  if (!payer.ok()) return payer.status();
  absl::StatusOr<std::string> payee = wallets_->NameOf(transfer.credit_account_id);
  if (!payee.ok()) return payee.status();
  v1::Payment payment;
  payment.set_name(note.reference());
  payment.set_payer(*payer);
  payment.set_payee(*payee);
  payment.set_amount_msat(transfer.amount_msat);
  payment.set_memo(note.memo());
  payment.set_transfer_id(ledger::IdToBytes(transfer.id));
  payment.set_request_id(note.request_id());
  *payment.mutable_create_time() =
      auth::ProtoFromTime(absl::FromUnixNanos(static_cast<int64_t>(transfer.timestamp_ns)));
  return payment;
}

}  // namespace bitcontent::wallet
