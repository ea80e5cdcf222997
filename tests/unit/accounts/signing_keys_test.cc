// The access-token signing key: created on first start, kept across restarts, and
// published so that tokens verify anywhere with the public half alone.
#include <catch2/catch.hpp>

#include "libs/auth/access_token.h"
#include "tests/unit/accounts/client_keys.h"
#include "tests/unit/accounts/test_domain.h"

namespace bitcontent::accounts {
namespace {

const absl::Time kNow = absl::Now();

TEST_CASE("the signing key survives a restart and old tokens still verify", "[accounts]") {
  testing::TestDomain domain;
  const std::string key_id = domain->signing_keys().current().key_id;
  CHECK(absl::StartsWith(key_id, "acc-"));
  REQUIRE(domain->signing_keys().public_keys().size() == 1);
  const common::v1::PublicKey published = domain->signing_keys().public_keys()[0];
  CHECK(published.purpose() == common::v1::KEY_PURPOSE_ACCESS_TOKEN);
  CHECK(published.algorithm() == common::v1::KEY_ALGORITHM_ED25519);
  CHECK(published.issuer() == "accounts");
  const std::string token =
      domain->flows()
          .SignUp(testing::SignUpRequestFor("k@example.com", testing::NewClientKeys("pw")), "ip",
                  kNow)
          ->tokens()
          .access_token();

  domain.Reopen();
  CHECK(domain->signing_keys().current().key_id == key_id);
  CHECK(auth::VerifyAccessToken(token, domain->signing_keys().keyring(), kNow).ok());
  // A verifier holding only the published key accepts it too, and rejects a forgery.
  auth::KeyRing outsider;
  REQUIRE(outsider.Add(published).ok());
  CHECK(auth::VerifyAccessToken(token, outsider, kNow).ok());
  std::string forged = token;
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  CHECK(auth::VerifyAccessToken(forged, outsider, kNow).status().code() ==
        absl::StatusCode::kUnauthenticated);
}

TEST_CASE("two stores get two different signing keys", "[accounts]") {
  testing::TestDomain first, second;
  CHECK(first->signing_keys().current().key_pair.public_key !=
        second->signing_keys().current().key_pair.public_key);
}

}  // namespace
}  // namespace bitcontent::accounts
