// Revenue splits as creators type them: "owner:70,publisher:20,uploader:10". Each part
// is ROLE:PERCENT, where ROLE is owner, publisher or uploader (that member of the file,
// as pricing resolves it), ROLE=MEMBER for a named member in that role, or MEMBER for
// anyone else; a MEMBER is users/ID or the member's email (looked up by `find_member`);
// PERCENT is a share of what is left after the platform fee, with at
// most two decimals ("12.5"), so it maps exactly to basis points (1/100 of a percent).
// The parts must add up to exactly 100.
//
// PreviewSplit shows how an amount will be paid under a split, by the rounding rule
// pricing uses (libs/split); it is for display only: the quote pricing signs is what a
// buyer pays.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/pricing/v1/prices.pb.h"
#include "bitcontent/pricing/v1/purchases.pb.h"

namespace bitcontent::client {

// The user name ("users/ID") of the member whose email is the argument.
using FindMember = std::function<absl::StatusOr<std::string>(absl::string_view email)>;

// The split rule `spec` describes. INVALID_ARGUMENT naming the part that is wrong, or
// saying what the parts add up to when that is not 100; a member named by email is
// looked up with `find_member` (without one, an email is refused), and its error said.
absl::StatusOr<pricing::v1::SplitRule> ParseSplitSpec(absl::string_view spec,
                                                      const FindMember& find_member = nullptr);

// "owner 70%, publisher 20%, users/01HX 10%": a split rule for people.
std::string FormatSplit(const pricing::v1::SplitRule& split);

// "owner", "publisher", "uploader", or the recipient's user name for others.
std::string RecipientLabel(pricing::v1::RecipientRole role, absl::string_view user);

// The parts of `amount_msat` under `split` after its platform_fee_basis_points: one line
// per recipient in the rule's order, then the platform fee's; they sum to the amount.
// Requires a split whose basis points sum to 10,000 and a fee of at most 10,000 (as
// ParseSplitSpec and pricing make them; asserted).
std::vector<pricing::v1::SplitLine> PreviewSplit(uint64_t amount_msat,
                                                 const pricing::v1::SplitRule& split);

}  // namespace bitcontent::client
