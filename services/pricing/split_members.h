// The members a split names must exist: pricing asks accounts for each named user before
// it stores a split (a file's price or a paywall resource's), so no share is ever paid
// into a wallet nobody holds. The shape of a split is CheckSplit's (libs/split); this is
// the part that needs accounts.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "bitcontent/pricing/v1/prices.pb.h"
#include "services/pricing/backends.h"

namespace bitcontent::pricing {

// OK when every recipient's user (where one is given) is an active member, asked of
// `members`. INVALID_ARGUMENT naming `field`.recipients[i].user ("names no member:
// users/...", or a disabled member) otherwise; accounts' own errors (UNAVAILABLE...) as
// they come.
absl::Status CheckSplitMembers(std::string_view field, const v1::SplitRule& split,
                               Members* members);

}  // namespace bitcontent::pricing
