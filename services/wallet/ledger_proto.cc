#include "services/wallet/ledger_proto.h"

#include "absl/strings/str_cat.h"
#include "libs/kit/error_details.h"

namespace bitcontent::wallet {
namespace {

std::string IdField(const ledger::Id& id) {
  return id.IsZero() ? std::string() : ledger::IdToBytes(id);
}

uint16_t AccountFlagsFromProto(const v1::AccountFlags& flags) {
  return static_cast<uint16_t>(
      (flags.linked() ? ledger::kAccountLinked : 0) |
      (flags.debits_must_not_exceed_credits() ? ledger::kDebitsMustNotExceedCredits : 0) |
      (flags.credits_must_not_exceed_debits() ? ledger::kCreditsMustNotExceedDebits : 0));
}

uint16_t TransferFlagsFromProto(const v1::TransferFlags& flags) {
  return static_cast<uint16_t>((flags.linked() ? ledger::kTransferLinked : 0) |
                               (flags.pending() ? ledger::kPending : 0) |
                               (flags.post_pending_transfer() ? ledger::kPostPendingTransfer : 0) |
                               (flags.void_pending_transfer() ? ledger::kVoidPendingTransfer : 0));
}

}  // namespace

absl::StatusOr<ledger::Id> IdFromField(std::string_view bytes, std::string_view field) {
  if (bytes.empty()) return ledger::Id{};
  if (bytes.size() != 16) {
    return kit::FieldError(absl::string_view(field.data(), field.size()),
                           absl::StrCat("must be 16 bytes (a 128-bit id), not ", bytes.size()));
  }
  return ledger::IdFromBytes(bytes);
}

absl::StatusOr<ledger::Account> AccountFromProto(const v1::LedgerAccount& account) {
  absl::StatusOr<ledger::Id> id = IdFromField(account.id(), "accounts.id");
  if (!id.ok()) return id.status();
  absl::StatusOr<ledger::Id> user_data =
      IdFromField(account.user_data_128(), "accounts.user_data_128");
  if (!user_data.ok()) return user_data.status();
  return ledger::Account{.id = *id,
                         .debits_pending_msat = account.debits_pending_msat(),
                         .debits_posted_msat = account.debits_posted_msat(),
                         .credits_pending_msat = account.credits_pending_msat(),
                         .credits_posted_msat = account.credits_posted_msat(),
                         .user_data_128 = *user_data,
                         .user_data_64 = account.user_data_64(),
                         .user_data_32 = account.user_data_32(),
                         .ledger = account.ledger(),
                         .code = static_cast<uint16_t>(account.code()),
                         .flags = AccountFlagsFromProto(account.flags()),
                         .timestamp_ns = account.timestamp_ns()};
}

v1::LedgerAccount AccountToProto(const ledger::Account& account) {
  v1::LedgerAccount out;
  out.set_id(IdField(account.id));
  out.set_debits_pending_msat(account.debits_pending_msat);
  out.set_debits_posted_msat(account.debits_posted_msat);
  out.set_credits_pending_msat(account.credits_pending_msat);
  out.set_credits_posted_msat(account.credits_posted_msat);
  out.set_user_data_128(IdField(account.user_data_128));
  out.set_user_data_64(account.user_data_64);
  out.set_user_data_32(account.user_data_32);
  out.set_ledger(account.ledger);
  out.set_code(static_cast<v1::AccountCode>(account.code));
  out.mutable_flags()->set_linked((account.flags & ledger::kAccountLinked) != 0);
  out.mutable_flags()->set_debits_must_not_exceed_credits(
      (account.flags & ledger::kDebitsMustNotExceedCredits) != 0);
  out.mutable_flags()->set_credits_must_not_exceed_debits(
      (account.flags & ledger::kCreditsMustNotExceedDebits) != 0);
  out.set_timestamp_ns(account.timestamp_ns);
  return out;
}

absl::StatusOr<ledger::Transfer> TransferFromProto(const v1::Transfer& transfer) {
  ledger::Transfer out;
  const std::pair<const std::string*, ledger::Id*> ids[] = {
      {&transfer.id(), &out.id},
      {&transfer.debit_account_id(), &out.debit_account_id},
      {&transfer.credit_account_id(), &out.credit_account_id},
      {&transfer.pending_id(), &out.pending_id},
      {&transfer.user_data_128(), &out.user_data_128}};
  constexpr std::string_view kNames[] = {"transfers.id", "transfers.debit_account_id",
                                         "transfers.credit_account_id", "transfers.pending_id",
                                         "transfers.user_data_128"};
  for (size_t i = 0; i < std::size(ids); ++i) {
    absl::StatusOr<ledger::Id> id = IdFromField(*ids[i].first, kNames[i]);
    if (!id.ok()) return id.status();
    *ids[i].second = *id;
  }
  out.amount_msat = transfer.amount_msat();
  out.user_data_64 = transfer.user_data_64();
  out.user_data_32 = transfer.user_data_32();
  out.timeout_seconds = transfer.timeout_seconds();
  out.ledger = transfer.ledger();
  out.code = static_cast<uint16_t>(transfer.code());
  out.flags = TransferFlagsFromProto(transfer.flags());
  out.timestamp_ns = transfer.timestamp_ns();
  return out;
}

v1::Transfer TransferToProto(const ledger::Transfer& transfer) {
  v1::Transfer out;
  out.set_id(IdField(transfer.id));
  out.set_debit_account_id(IdField(transfer.debit_account_id));
  out.set_credit_account_id(IdField(transfer.credit_account_id));
  out.set_amount_msat(transfer.amount_msat);
  out.set_pending_id(IdField(transfer.pending_id));
  out.set_user_data_128(IdField(transfer.user_data_128));
  out.set_user_data_64(transfer.user_data_64);
  out.set_user_data_32(transfer.user_data_32);
  out.set_timeout_seconds(transfer.timeout_seconds);
  out.set_ledger(transfer.ledger);
  out.set_code(static_cast<v1::TransferCode>(transfer.code));
  v1::TransferFlags& flags = *out.mutable_flags();
  flags.set_linked((transfer.flags & ledger::kTransferLinked) != 0);
  flags.set_pending((transfer.flags & ledger::kPending) != 0);
  flags.set_post_pending_transfer((transfer.flags & ledger::kPostPendingTransfer) != 0);
  flags.set_void_pending_transfer((transfer.flags & ledger::kVoidPendingTransfer) != 0);
  out.set_timestamp_ns(transfer.timestamp_ns);
  return out;
}

v1::TransferEvent EventToProto(const ledger::TransferEvent& event) {
  v1::TransferEvent out;
  out.set_timestamp_ns(event.timestamp_ns);
  out.set_type(static_cast<v1::TransferEventType>(event.type));
  *out.mutable_transfer() = TransferToProto(event.transfer);
  return out;
}

}  // namespace bitcontent::wallet
