#include "libs/auth/bearer.h"

#include <catch2/catch.hpp>
#include <string>

namespace bitcontent::auth {
namespace {

TEST_CASE("auth bearer: the token is read whatever the case of the scheme") {
  for (const char* value :
       {"Bearer abc-DEF_123", "bearer abc-DEF_123", "BEARER abc-DEF_123", "Bearer   abc-DEF_123",
        "Bearer\tabc-DEF_123", " Bearer abc-DEF_123 "}) {
    INFO("value: " << value);
    absl::StatusOr<absl::string_view> token = ParseBearerToken(value);
    REQUIRE(token.ok());
    CHECK(*token == "abc-DEF_123");
  }
  CHECK(ParseBearerToken("Bearer a.b~c+d/e==").value() == "a.b~c+d/e==");
}

TEST_CASE("auth bearer: other schemes and malformed values are Unauthenticated") {
  for (const char* value :
       {"", "Bearer", "Bearer ", "Bearerabc", "Basic dXNlcjpwYXNz", "Token abc", "Bearer abc def",
        "Bearer ab=c", "Bearer =abc", "Bearer abc\"", "Bearer a,b"}) {
    INFO("value: " << value);
    CHECK(absl::IsUnauthenticated(ParseBearerToken(value).status()));
  }
}

TEST_CASE("auth bearer: an oversized value is refused before it is scanned") {
  const std::string value = "Bearer " + std::string(kAuthorizationValueBytesMax, 'a');
  absl::StatusOr<absl::string_view> token = ParseBearerToken(value);
  REQUIRE(absl::IsUnauthenticated(token.status()));
  CHECK(token.status().message().find("longer than") != absl::string_view::npos);
  const std::string largest = "Bearer " + std::string(4096, 'a');
  CHECK(ParseBearerToken(largest).ok());
}

}  // namespace
}  // namespace bitcontent::auth
