#include "libs/auth/scopes.h"

#include <array>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace bitcontent::auth {
namespace {

struct ScopeSpelling {
  common::v1::Scope scope = common::v1::SCOPE_UNSPECIFIED;
  absl::string_view name;
};

// The one table of spellings; the order is the enum's.
constexpr std::array<ScopeSpelling, 6> kScopes = {{
    {common::v1::SCOPE_FILES_READ, "files:read"},
    {common::v1::SCOPE_FILES_WRITE, "files:write"},
    {common::v1::SCOPE_WALLET_READ, "wallet:read"},
    {common::v1::SCOPE_WALLET_PAY, "wallet:pay"},
    {common::v1::SCOPE_PAYWALL_MANAGE, "paywall:manage"},
    {common::v1::SCOPE_EARNINGS_READ, "earnings:read"},
}};

}  // namespace

absl::StatusOr<common::v1::Scope> ParseScope(absl::string_view name) {
  for (const ScopeSpelling& spelling : kScopes) {
    if (spelling.name == name) {
      return spelling.scope;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown scope \"", name.substr(0, 64), "\"; expected one of: ",
      absl::StrJoin(kScopes, ", ", [](std::string* out, const ScopeSpelling& spelling) {
        absl::StrAppend(out, spelling.name);
      })));
}

absl::string_view ScopeName(common::v1::Scope scope) {
  for (const ScopeSpelling& spelling : kScopes) {
    if (spelling.scope == scope) {
      return spelling.name;
    }
  }
  return "unspecified";
}

std::vector<common::v1::Scope> AllMemberScopes() {
  std::vector<common::v1::Scope> scopes;
  scopes.reserve(kScopes.size());
  for (const ScopeSpelling& spelling : kScopes) {
    scopes.push_back(spelling.scope);
  }
  return scopes;
}

}  // namespace bitcontent::auth
