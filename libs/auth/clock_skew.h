// How far apart the clocks of two machines in the suite may be. Token checks (access
// token issue and expiry times, signing key validity windows) accept this much slack on
// either side, so a verifier whose clock runs a little behind the issuer's does not
// reject a token issued a moment ago. Keep it small: it lengthens every token's life.
#pragma once

#include "absl/time/time.h"

namespace bitcontent::auth {

inline constexpr absl::Duration kClockSkew = absl::Seconds(30);

}  // namespace bitcontent::auth
