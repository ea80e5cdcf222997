// ReleaseFileKey: a buyer (or the seller) gets a priced file's key, re-sealed to their
// own X25519 public key. Pricing opens the key escrowed with the price (sealed to its
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
// the file has no price; FAILED_PRECONDITION (PAYMENT_REQUIRED) without an entitlement;
// FAILED_PRECONDITION when no key is escrowed.
absl::StatusOr<std::string> ReleaseFileKey(const Prices& prices, const Entitlements& entitlements,
                                           const PricingKeys& keys, Members* members,
                                           std::string_view caller_id, std::string_view node);

}  // namespace bitcontent::pricing
