// The Redis keys of token revocation, one naming for accounts (which sets them) and the
// gateway (which checks them with every token): "bc:revoked:<kind>:<id>" while a
// revoked session or API key may still have a live access token, and a marker that
// Redis holds every such key (it keeps nothing on disk, so a restart forgets them all
// until accounts sets them again).
#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace bitcontent::auth {

inline constexpr absl::string_view kRevokedSession = "session";
inline constexpr absl::string_view kRevokedApiKey = "api_key";

// "bc:revoked:<kind>:<id>", `kind` kRevokedSession or kRevokedApiKey.
inline std::string RevocationKey(absl::string_view kind, absl::string_view id) {
  return absl::StrCat("bc:revoked:", kind, ":", id);
}

// Set, without expiry, only once Redis holds every revocation key that matters.
inline constexpr char kRevocationsCompleteKey[] = "bc:revocations:complete";

}  // namespace bitcontent::auth
