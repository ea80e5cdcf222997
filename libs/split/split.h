// Revenue splits: the one check of a split rule (prices and paywall resources alike) and
// the one rounding rule that turns an amount into its parts, exactly as prices.proto
// documents it:
//   fee      = floor(amount * platform_fee_basis_points / 10000)
//   rest     = amount - fee
//   share_i  = floor(rest * basis_points_i / 10000)
//   leftover = rest - sum(share_i), given 1 msat at a time to the recipients with the
//              largest remainders (rest * basis_points_i mod 10000), ties by list order.
// So fee + shares == amount, always, and no part is off its exact share by 1 msat or more.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "bitcontent/pricing/v1/prices.pb.h"
#include "bitcontent/pricing/v1/purchases.pb.h"

namespace bitcontent::pricing {

inline constexpr size_t kSplitRecipientsMax = 16;
inline constexpr uint32_t kBasisPointsTotal = 10'000;
// The operator's fee may take at most half of a sale (PricingSettings).
inline constexpr uint32_t kPlatformFeeBasisPointsMax = 5'000;

// A split as prices.proto says: empty (all to the owner), or 1 to 16 recipients with a
// role, each a positive share, summing to exactly 10,000 basis points; OTHER needs a
// user; a user is "users/{id}"; no member named twice and no role but OTHER given twice.
// INVALID_ARGUMENT naming `field` otherwise.
absl::Status CheckSplit(std::string_view field, const v1::SplitRule& split);

// Writes each recipient's "users/{id}" with the id in capitals, as ids are given out:
// a member's id is case-insensitive (the wallet takes either), a split keeps one spelling,
// so that the same member is never two recipients nor two wallets.
void CanonicalizeUsers(v1::SplitRule* split);

// `split` with an empty recipient list replaced by the owner taking everything.
v1::SplitRule SplitOrOwner(const v1::SplitRule& split);

struct SplitParts {
  uint64_t fee_msat = 0;
  // One per recipient, in the rule's order.
  std::vector<uint64_t> shares_msat;
};

// The parts of `amount_msat` under `recipient_basis_points` (summing to 10,000) after a
// fee of `fee_basis_points` (at most 10,000). Requires both (asserted: callers check
// splits with CheckSplit first).
SplitParts SplitAmount(uint64_t amount_msat, uint32_t fee_basis_points,
                       const std::vector<uint32_t>& recipient_basis_points);

// The split lines of `amount_msat` under `split` (users filled in): one per recipient,
// then the platform fee line; lines of 0 msat included (the purchase skips them).
std::vector<v1::SplitLine> SplitLines(uint64_t amount_msat, uint32_t fee_basis_points,
                                      const v1::SplitRule& split);

}  // namespace bitcontent::pricing
