// The scopes an API key can hold, and their spelling on the command line and in REST
// bodies ("files:read", "wallet:pay", ...). Parse what people type with ParseScope; show
// scopes with ScopeName. A member's own session holds every scope in AllMemberScopes.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/common/v1/principal.pb.h"

namespace bitcontent::auth {

// The scope spelled `name` (exact, lowercase). InvalidArgument naming the accepted
// spellings for anything else, including SCOPE_UNSPECIFIED's.
absl::StatusOr<common::v1::Scope> ParseScope(absl::string_view name);

// The spelling of `scope`, e.g. "files:read"; "unspecified" for SCOPE_UNSPECIFIED and
// values this build does not know.
absl::string_view ScopeName(common::v1::Scope scope);

// Every scope a member's session holds, in enum order.
std::vector<common::v1::Scope> AllMemberScopes();

}  // namespace bitcontent::auth
