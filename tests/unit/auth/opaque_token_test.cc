#include "libs/auth/opaque_token.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "libs/crypto/random.h"
#include "tests/unit/crypto/expect_abort.h"

namespace bitcontent::auth {
namespace {

using crypto::testing::RequireAbortMentioning;

TEST_CASE("auth opaque_token: new tokens have the documented shape and parse back") {
  bool saw_underscore_in_secret = false;
  std::set<std::string> ids;
  // Enough tokens that some secrets contain '_' (about half of 43-character texts do).
  for (int i = 0; i < 200; ++i) {
    const OpaqueToken token = NewOpaqueToken(kApiKeyPrefix);
    REQUIRE(token.text.size() == 64);
    CHECK(absl::StartsWith(token.text, "bck_" + token.id + "_"));
    CHECK(token.id.size() == 16);
    CHECK(token.secret.size() == kOpaqueTokenSecretBytes);
    saw_underscore_in_secret |= token.text.substr(21).find('_') != std::string::npos;
    ids.insert(token.id);
    absl::StatusOr<OpaqueToken> parsed = ParseOpaqueToken(token.text, kApiKeyPrefix);
    REQUIRE(parsed.ok());
    CHECK(parsed->id == token.id);
    CHECK(parsed->secret == token.secret);
    CHECK(parsed->text == token.text);
  }
  CHECK(saw_underscore_in_secret);
  CHECK(ids.size() == 200);
}

TEST_CASE("auth opaque_token: a token of another kind is named as such") {
  const OpaqueToken refresh = NewOpaqueToken(kRefreshTokenPrefix);
  absl::StatusOr<OpaqueToken> parsed = ParseOpaqueToken(refresh.text, kApiKeyPrefix);
  REQUIRE(absl::IsUnauthenticated(parsed.status()));
  CHECK(parsed.status().message() == "expected a token starting with 'bck_'");
  CHECK(ParseOpaqueToken(refresh.text, kRefreshTokenPrefix).ok());
  CHECK_FALSE(ParseOpaqueToken(refresh.text, kClaimTokenPrefix).ok());
}

TEST_CASE("auth opaque_token: malformed texts are refused") {
  const std::string good = NewOpaqueToken(kClaimTokenPrefix).text;
  std::string upper_hex = good;
  upper_hex[4] = 'A';
  std::string bad_separator = good;
  bad_separator[20] = '-';
  std::string bad_base64 = good;
  bad_base64[30] = '!';
  for (const std::string& bad :
       {std::string("bcc_"), std::string("bcc_0123456789abcdef"), good.substr(0, good.size() - 1),
        good + "A", good + "=", upper_hex, bad_separator, bad_base64,
        "bcc_0123456789abcdeg_" + good.substr(21), std::string("bcc_") + std::string(200, 'a')}) {
    INFO("text: " << bad);
    absl::StatusOr<OpaqueToken> parsed = ParseOpaqueToken(bad, kClaimTokenPrefix);
    REQUIRE(absl::IsUnauthenticated(parsed.status()));
    CHECK(parsed.status().message() == "malformed token");
  }
}

TEST_CASE("auth opaque_token: the stored hash matches only the right secret") {
  const OpaqueToken token = NewOpaqueToken(kRefreshTokenPrefix);
  const std::string hash = HashOpaqueSecret(token.secret);
  CHECK(hash.size() == 32);
  CHECK(hash != token.secret);
  CHECK(OpaqueSecretMatches(hash, token.secret));
  CHECK(OpaqueSecretMatches(hash, ParseOpaqueToken(token.text, kRefreshTokenPrefix)->secret));
  std::string wrong = token.secret;
  wrong[31] ^= 1;
  CHECK_FALSE(OpaqueSecretMatches(hash, wrong));
  CHECK_FALSE(OpaqueSecretMatches(hash, NewOpaqueToken(kRefreshTokenPrefix).secret));
  CHECK_FALSE(OpaqueSecretMatches(hash.substr(1), token.secret));
  CHECK_FALSE(OpaqueSecretMatches("", token.secret));
}

TEST_CASE("auth opaque_token: prefixes that are not short lowercase words abort") {
  RequireAbortMentioning([] { NewOpaqueToken(""); }, "NewOpaqueToken: token prefix");
  RequireAbortMentioning([] { NewOpaqueToken("bc_r"); }, "NewOpaqueToken: token prefix");
  RequireAbortMentioning([] { (void)ParseOpaqueToken("x", "BCK"); },
                         "ParseOpaqueToken: token prefix");
}

}  // namespace
}  // namespace bitcontent::auth
