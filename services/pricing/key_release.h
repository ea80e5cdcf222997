// ReleaseFileKey: a buyer (or the seller, or a member a folder above the file is shared
// with, who holds its key already) gets a priced file's key, re-sealed to their own
// X25519 public key. Pricing opens the key escrowed with the price (sealed to its
// escrow key) and seals it again with crypto_box_seal to the member's key from accounts,
// so only that member can open what leaves pricing.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/pricing/backends.h"
#include "services/pricing/entitlements.h"
#include "services/pricing/prices.h"
#include "services/pricing/pricing_keys.h"

namespace bitcontent::pricing {

// The key of `node` ("nodes/{node}") sealed to `caller_id`'s public key. NOT_FOUND when
// the file has no price; FAILED_PRECONDITION (PAYMENT_REQUIRED) for a caller who is not
// its seller, holds no entitlement and is not shared it (asked of `nodes`);
// FAILED_PRECONDITION when no key is escrowed.
absl::StatusOr<std::string> ReleaseFileKey(const Prices& prices, const Entitlements& entitlements,
                                           const PricingKeys& keys, Members* members,
                                           NodeDirectory* nodes, std::string_view caller_id,
                                           std::string_view node);

}  // namespace bitcontent::pricing
