#include "services/pricing/purchase_ids.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/crypto/hash.h"
#include "libs/kit/error_details.h"
#include "libs/store/key_encoding.h"
#include "services/wallet/wallet_ids.h"

namespace bitcontent::pricing {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

ledger::Id DerivedId(absl::string_view purpose, absl::string_view key) {
  return ledger::IdFromBytes(crypto::Blake2b256(absl::StrCat(purpose, std::string(1, '\0'), key)));
}

}  // namespace

std::string QuoteIdOfRequest(std::string_view buyer_id, std::string_view request_id) {
  return ledger::IdToBytes(
      DerivedId("pricing.purchase-request", absl::StrCat(Absl(buyer_id), "/", Absl(request_id))));
}

ledger::Id PurchaseReference(std::string_view buyer_id, std::string_view quote_id) {
  return DerivedId("pricing.purchase", absl::StrCat(Absl(buyer_id), "/", Absl(quote_id)));
}

ledger::Id PurchaseTransferId(const ledger::Id& reference, uint32_t line) {
  return DerivedId("pricing.purchase-transfer",
                   absl::StrCat(ledger::IdToBytes(reference), store::EncodeUint32(line)));
}

std::string PurchaseName(const ledger::Id& reference) {
  return absl::StrCat("purchases/", wallet::IdToHex(reference));
}

absl::StatusOr<std::string> PurchaseIdOfName(std::string_view name, std::string_view field) {
  absl::string_view id = Absl(name);
  if (!absl::ConsumePrefix(&id, "purchases/") ||
      !wallet::IdFromHex(std::string_view(id.data(), id.size())).has_value()) {
    return kit::FieldError(Absl(field), absl::StrCat("must be \"purchases/{purchase}\" (32 hex "
                                                     "characters), not \"",
                                                     Absl(name), "\""));
  }
  return std::string(id);
}

}  // namespace bitcontent::pricing
