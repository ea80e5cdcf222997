#include "services/wallet/wallet_ids.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/crypto/hash.h"

namespace bitcontent::wallet {
namespace {

// The purpose keeps ids of different kinds apart even when their keys are equal; the
// NUL separates purpose from key so that no two (purpose, key) pairs hash the same text.
ledger::Id DerivedId(std::string_view purpose, std::string_view key) {
  const std::string digest = crypto::Blake2b256(
      absl::StrCat(absl::string_view(purpose.data(), purpose.size()), std::string(1, '\0'),
                   absl::string_view(key.data(), key.size())));
  return ledger::IdFromBytes(digest);
}

std::string Joined(std::string_view a, std::string_view b) {
  std::string text(a);
  text += '/';
  text += b;
  return text;
}

}  // namespace

ledger::Id SystemAccountId(v1::AccountCode code) {
  return {.high = 0, .low = static_cast<uint64_t>(code)};
}

std::string SystemAccountName(const ledger::Id& id) {
  if (id.high != 0) return "";
  switch (id.low) {
    case v1::ACCOUNT_CODE_PLATFORM_FEES:
      return "system/platformFees";
    case v1::ACCOUNT_CODE_STREAM_ESCROW:
      return "system/streamEscrow";
    case v1::ACCOUNT_CODE_CHAIN_DEPOSITS:
    case v1::ACCOUNT_CODE_CHAIN_PAYOUTS:
      return "system/chain";
    case v1::ACCOUNT_CODE_OPERATOR_ADJUSTMENTS:
      return "system/operatorAdjustments";
    default:
      return "";
  }
}

ledger::Id MemberAccountId(std::string_view user_id) {
  return DerivedId("wallet.member-account", user_id);
}

ledger::Id PaymentTransferId(std::string_view payer_user_id, std::string_view request_id) {
  return DerivedId("wallet.payment", Joined(payer_user_id, request_id));
}

ledger::Id PayoutHoldId(std::string_view user_id, std::string_view request_id) {
  return DerivedId("wallet.payout-hold", Joined(user_id, request_id));
}

ledger::Id PayoutDecisionId(const ledger::Id& hold) {
  return DerivedId("wallet.payout-decision", ledger::IdToBytes(hold));
}

ledger::Id DepositTransferId(std::string_view txid, uint32_t vout) {
  return DerivedId("wallet.deposit", std::string(txid) + ":" + std::to_string(vout));
}

ledger::Id WelcomeCreditId(std::string_view user_id) {
  return DerivedId("wallet.welcome_credit", std::string(user_id));
}

std::string IdToHex(const ledger::Id& id) { return absl::BytesToHexString(ledger::IdToBytes(id)); }

std::optional<ledger::Id> IdFromHex(std::string_view hex) {
  if (hex.size() != 32) return std::nullopt;
  for (const char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  const std::string bytes = absl::HexStringToBytes(absl::string_view(hex.data(), hex.size()));
  return ledger::IdFromBytes(bytes);
}

}  // namespace bitcontent::wallet
