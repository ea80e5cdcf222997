#include "libs/auth/access_token.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/auth/proto_time.h"
#include "libs/auth/scopes.h"
#include "libs/crypto/random.h"
#include "tests/unit/auth/token_test_keys.h"
#include "tests/unit/crypto/expect_abort.h"

namespace bitcontent::auth {
namespace {

using crypto::testing::RequireAbortMentioning;
using testing::TestNow;
using testing::TestPublicKey;
using testing::TestSigningKey;

struct Fixture {
  SigningKey key = TestSigningKey("acc-1", 1);
  KeyRing ring;

  Fixture() { REQUIRE(ring.Add(TestPublicKey(key, common::v1::KEY_PURPOSE_ACCESS_TOKEN)).ok()); }
};

// Claims of a session token issued at TestNow(), living 15 minutes.
accounts::v1::AccessTokenClaims SessionClaims() {
  accounts::v1::AccessTokenClaims claims;
  claims.set_token_id(crypto::RandomBytes(16));
  claims.set_user("users/01HZY3K8W9J6V0M4T2Q5R7S8XA");
  claims.set_session("users/01HZY3K8W9J6V0M4T2Q5R7S8XA/sessions/01HZY3K9000000000000000000");
  claims.set_device_id("laptop-7f3a");
  claims.set_operator_(true);
  *claims.mutable_issue_time() = ProtoFromTime(TestNow());
  *claims.mutable_expire_time() = ProtoFromTime(TestNow() + absl::Minutes(15));
  return claims;
}

accounts::v1::AccessTokenClaims ApiKeyClaims() {
  accounts::v1::AccessTokenClaims claims = SessionClaims();
  claims.clear_session();
  claims.clear_operator_();
  claims.set_api_key("users/01HZY3K8W9J6V0M4T2Q5R7S8XA/apiKeys/01HZY3KA000000000000000000");
  claims.add_scopes(common::v1::SCOPE_FILES_READ);
  claims.add_scopes(common::v1::SCOPE_WALLET_PAY);
  return claims;
}

void RequireRejected(const absl::StatusOr<accounts::v1::AccessTokenClaims>& verified,
                     absl::string_view message) {
  REQUIRE(absl::IsUnauthenticated(verified.status()));
  CHECK(verified.status().message() == message);
}

TEST_CASE("auth access_token: issued claims verify and come back intact") {
  Fixture fixture;
  const accounts::v1::AccessTokenClaims claims = SessionClaims();
  const std::string token = IssueAccessToken(fixture.key, claims);
  absl::StatusOr<accounts::v1::AccessTokenClaims> verified =
      VerifyAccessToken(token, fixture.ring, TestNow() + absl::Minutes(5));
  REQUIRE(verified.ok());
  CHECK(verified->SerializeAsString() == claims.SerializeAsString());
}

TEST_CASE("auth access_token: expired tokens are rejected, after the clock skew") {
  Fixture fixture;
  const std::string token = IssueAccessToken(fixture.key, SessionClaims());
  const absl::Time expiry = TestNow() + absl::Minutes(15);
  CHECK(VerifyAccessToken(token, fixture.ring, expiry + kClockSkew - absl::Seconds(1)).ok());
  RequireRejected(VerifyAccessToken(token, fixture.ring, expiry + kClockSkew), "token expired");
  RequireRejected(VerifyAccessToken(token, fixture.ring, expiry + absl::Hours(1)), "token expired");
}

TEST_CASE("auth access_token: tokens from the future are rejected beyond the clock skew") {
  Fixture fixture;
  const std::string token = IssueAccessToken(fixture.key, SessionClaims());
  CHECK(VerifyAccessToken(token, fixture.ring, TestNow() - absl::Seconds(20)).ok());
  RequireRejected(VerifyAccessToken(token, fixture.ring, TestNow() - absl::Minutes(1)),
                  "token not yet valid");
}

TEST_CASE("auth access_token: tokens of other purposes and unknown keys are rejected") {
  Fixture fixture;
  const SigningKey quote_key = TestSigningKey("quote-1", 2);
  REQUIRE(fixture.ring.Add(TestPublicKey(quote_key, common::v1::KEY_PURPOSE_QUOTE)).ok());
  const std::string quote =
      SignToken(common::v1::KEY_PURPOSE_QUOTE, quote_key, SessionClaims().SerializeAsString());
  RequireRejected(VerifyAccessToken(quote, fixture.ring, TestNow()), "wrong token purpose");
  const std::string forged = IssueAccessToken(TestSigningKey("acc-9", 9), SessionClaims());
  RequireRejected(VerifyAccessToken(forged, fixture.ring, TestNow()), "unknown signing key");
  RequireRejected(VerifyAccessToken("not a token", fixture.ring, TestNow()), "malformed token");
}

TEST_CASE("auth access_token: signed payloads that are not valid claims are malformed") {
  Fixture fixture;
  accounts::v1::AccessTokenClaims day_long = SessionClaims();
  *day_long.mutable_expire_time() = ProtoFromTime(TestNow() + absl::Hours(24));
  accounts::v1::AccessTokenClaims both_kinds = ApiKeyClaims();
  both_kinds.set_session("users/x/sessions/y");
  accounts::v1::AccessTokenClaims no_user = SessionClaims();
  no_user.clear_user();
  accounts::v1::AccessTokenClaims no_expiry = SessionClaims();
  no_expiry.clear_expire_time();
  for (const std::string& payload :
       {std::string("\xff\xff\xff"), day_long.SerializeAsString(), both_kinds.SerializeAsString(),
        no_user.SerializeAsString(), no_expiry.SerializeAsString()}) {
    const std::string token = SignToken(common::v1::KEY_PURPOSE_ACCESS_TOKEN, fixture.key, payload);
    RequireRejected(VerifyAccessToken(token, fixture.ring, TestNow()), "malformed token");
  }
}

TEST_CASE("auth access_token: a session principal holds every member scope") {
  const accounts::v1::AccessTokenClaims claims = SessionClaims();
  const common::v1::Principal principal = PrincipalFromClaims(claims);
  CHECK(principal.kind() == common::v1::PRINCIPAL_KIND_SESSION);
  CHECK(principal.user() == claims.user());
  CHECK(principal.session() == claims.session());
  CHECK(principal.api_key().empty());
  CHECK(principal.operator_());
  CHECK(principal.device_id() == "laptop-7f3a");
  std::vector<common::v1::Scope> scopes;
  for (int scope : principal.scopes()) scopes.push_back(static_cast<common::v1::Scope>(scope));
  CHECK(scopes == AllMemberScopes());
}

TEST_CASE("auth access_token: an API-key principal holds only its own known scopes") {
  accounts::v1::AccessTokenClaims claims = ApiKeyClaims();
  claims.add_scopes(common::v1::SCOPE_FILES_READ);  // duplicate
  claims.add_scopes(common::v1::SCOPE_UNSPECIFIED);
  claims.add_scopes(static_cast<common::v1::Scope>(77));  // from a newer issuer
  claims.set_operator_(true);                             // never honoured for API keys
  const common::v1::Principal principal = PrincipalFromClaims(claims);
  CHECK(principal.kind() == common::v1::PRINCIPAL_KIND_API_KEY);
  CHECK(principal.api_key() == claims.api_key());
  CHECK(principal.session().empty());
  CHECK_FALSE(principal.operator_());
  REQUIRE(principal.scopes_size() == 2);
  CHECK(principal.scopes(0) == common::v1::SCOPE_FILES_READ);
  CHECK(principal.scopes(1) == common::v1::SCOPE_WALLET_PAY);
}

TEST_CASE("auth access_token: claims naming no credential give an anonymous principal") {
  accounts::v1::AccessTokenClaims claims = SessionClaims();
  claims.clear_session();
  const common::v1::Principal principal = PrincipalFromClaims(claims);
  CHECK(principal.kind() == common::v1::PRINCIPAL_KIND_ANONYMOUS);
  CHECK(principal.user().empty());
  CHECK(principal.scopes().empty());
}

TEST_CASE("auth access_token: issuing claims that break the rules aborts") {
  const SigningKey key = TestSigningKey("acc-1", 1);
  accounts::v1::AccessTokenClaims long_lived = SessionClaims();
  *long_lived.mutable_expire_time() = ProtoFromTime(TestNow() + absl::Minutes(16));
  RequireAbortMentioning([&] { IssueAccessToken(key, long_lived); }, "at most 15 minutes");
  accounts::v1::AccessTokenClaims operator_key = ApiKeyClaims();
  operator_key.set_operator_(true);
  RequireAbortMentioning([&] { IssueAccessToken(key, operator_key); }, "operator role");
  accounts::v1::AccessTokenClaims no_session = SessionClaims();
  no_session.clear_session();
  RequireAbortMentioning([&] { IssueAccessToken(key, no_session); },
                         "exactly one of session and api_key");
}

}  // namespace
}  // namespace bitcontent::auth
