// Email normalisation: one member per address however it is typed, and a clear error
// naming the field for anything that is not an address.
#include "services/accounts/email.h"

#include <catch2/catch.hpp>

namespace bitcontent::accounts {
namespace {

TEST_CASE("emails are trimmed and lower-cased", "[accounts]") {
  CHECK(NormalizeEmail("  Alice@Example.COM\t").value() == "alice@example.com");
  CHECK(NormalizeEmail("a@b").value() == "a@b");
}

TEST_CASE("malformed emails are refused naming the field", "[accounts]") {
  for (const char* bad : {"", "   ", "no-at-sign", "two@@example.com", "a@b@c", "@example.com",
                          "alice@", "al ice@example.com", "tab\t@example.com"}) {
    absl::StatusOr<std::string> normal = NormalizeEmail(bad, "request.email");
    CHECK(normal.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(normal.status().message()), Catch::StartsWith("request.email"));
  }
  const std::string longest = std::string(254 - 12, 'a') + "@example.com";
  CHECK(NormalizeEmail(longest).ok());
  CHECK(NormalizeEmail("a" + longest).status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bitcontent::accounts
