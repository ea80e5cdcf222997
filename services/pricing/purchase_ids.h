// The ids of a purchase, derived from the buyer and the quote so that every attempt to
// pay one quote (a double click, a retry after a timeout, a retry after a crash of
// pricing) names the same purchase and the same ledger transfers: the ledger answers
// EXISTS instead of charging twice. A derived id is the first 16 bytes of BLAKE2b-256 over
// a purpose, a NUL and the key, as the wallet derives its own (services/wallet/wallet_ids.h).
//
// The purchase's reference (16 bytes) is also every transfer's user_data_128, so the
// wallet's ListTransfersByReference finds a purchase's chain; its id in names is the
// reference in 32 lowercase hex characters: "purchases/{hex}".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "libs/ledger/id.h"

namespace bitcontent::pricing {

// The quote id (16 bytes) of a purchase made without a quote
// (CreatePurchaseRequest.subject): derived from the buyer and the request_id, so that
// every retry names the same purchase.
std::string QuoteIdOfRequest(std::string_view buyer_id, std::string_view request_id);
// The reference of the purchase of quote `quote_id` (16 bytes) by `buyer_id`.
ledger::Id PurchaseReference(std::string_view buyer_id, std::string_view quote_id);
// The transfer paying line `line` of the quote, in the purchase `reference`.
ledger::Id PurchaseTransferId(const ledger::Id& reference, uint32_t line);

// "purchases/{hex}".
std::string PurchaseName(const ledger::Id& reference);
// The 32-hex-character id in "purchases/{hex}"; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> PurchaseIdOfName(std::string_view name, std::string_view field);

}  // namespace bitcontent::pricing
