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

TEST_CASE("a new account's email is plain ASCII, so that none looks like another's", "[accounts]") {
  // "аda" with a Cyrillic а, "däve" composed and decomposed, a right-to-left override.
  for (const char* look_alike :
       {"\xd0\xb0"
        "da@example.com",
        "d\xc3\xa4ve@example.com", "da\xcc\x88ve@example.com", "ada\xe2\x80\xae@example.com"}) {
    const absl::StatusOr<std::string> refused = NormalizeNewEmail(look_alike);
    CHECK(refused.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(refused.status().message()), Catch::Contains("plain ASCII"));
    CHECK(NormalizeEmail(look_alike).ok());  // An existing one still logs in.
  }
  CHECK(NormalizeNewEmail(" Ada+films@Example.COM ").value() == "ada+films@example.com");
}

}  // namespace
}  // namespace bitcontent::accounts
