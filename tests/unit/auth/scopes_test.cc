#include "libs/auth/scopes.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

namespace bitcontent::auth {
namespace {

TEST_CASE("auth scopes: every member scope round-trips through its spelling") {
  const std::vector<common::v1::Scope> scopes = AllMemberScopes();
  CHECK(scopes.size() == 6);
  std::set<std::string> names;
  for (common::v1::Scope scope : scopes) {
    CHECK(scope != common::v1::SCOPE_UNSPECIFIED);
    const std::string name(ScopeName(scope));
    names.insert(name);
    absl::StatusOr<common::v1::Scope> parsed = ParseScope(name);
    REQUIRE(parsed.ok());
    CHECK(*parsed == scope);
  }
  CHECK(names == std::set<std::string>{"files:read", "files:write", "wallet:read", "wallet:pay",
                                       "paywall:manage", "earnings:read"});
}

TEST_CASE("auth scopes: the spellings in the contract map to their enum values") {
  CHECK(ParseScope("files:read").value() == common::v1::SCOPE_FILES_READ);
  CHECK(ParseScope("wallet:pay").value() == common::v1::SCOPE_WALLET_PAY);
  CHECK(ParseScope("paywall:manage").value() == common::v1::SCOPE_PAYWALL_MANAGE);
  CHECK(ScopeName(common::v1::SCOPE_EARNINGS_READ) == "earnings:read");
  CHECK(ScopeName(common::v1::SCOPE_UNSPECIFIED) == "unspecified");
  CHECK(ScopeName(static_cast<common::v1::Scope>(999)) == "unspecified");
}

TEST_CASE("auth scopes: unknown spellings are refused with the accepted list") {
  for (const char* bad : {"", "unspecified", "FILES:READ", "files:read ", "files", "admin:all"}) {
    INFO("input: " << bad);
    absl::StatusOr<common::v1::Scope> parsed = ParseScope(bad);
    REQUIRE(absl::IsInvalidArgument(parsed.status()));
    CHECK(parsed.status().message().find("files:read, files:write") != absl::string_view::npos);
  }
}

}  // namespace
}  // namespace bitcontent::auth
