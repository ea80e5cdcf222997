// The checks every public request passes: who is calling (access tokens signed by a
// key in the ring, forged, expired, revoked), what the route allows (API keys, scopes,
// operators), and the rate limits, with a real redis-server behind Admission.
#include "services/gateway/gatekeeper.h"

#include <catch2/catch.hpp>

#include "absl/time/clock.h"
#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "libs/auth/access_token.h"
#include "libs/auth/proto_time.h"
#include "libs/auth/revocation_keys.h"
#include "libs/auth/signed_token.h"
#include "libs/crypto/signing.h"
#include "tests/unit/redis/redis_server.h"

namespace bitcontent::gateway {
namespace {

GateResult Admitted(Gatekeeper& gatekeeper, const AuthPolicy& policy, const Caller* caller,
                    absl::string_view client_ip, const google::protobuf::Message& request) {
  return AwaitGate([&](Gatekeeper::Done done) {
    gatekeeper.Admit(policy, caller, client_ip, request, std::move(done));
  });
}

GateResult Counted(Gatekeeper& gatekeeper, GateResult refusal, absl::string_view client_ip) {
  return AwaitGate([&](Gatekeeper::Done done) {
    gatekeeper.CountRefusal(std::move(refusal), client_ip, std::move(done));
  });
}

using common::v1::KEY_PURPOSE_ACCESS_TOKEN;

constexpr AuthPolicy kSessionOnly = {.access = Access::kMember};
constexpr AuthPolicy kFilesRead = {
    .access = Access::kMember, .api_keys = true, .scope = common::v1::SCOPE_FILES_READ};
constexpr AuthPolicy kOperator = {.access = Access::kOperator};
constexpr AuthPolicy kCredential = {.access = Access::kPublic, .limit = Limit::kCredential};

// A signing key in the ring, tokens issued with it, and a Gatekeeper over both.
class Fixture {
 public:
  Fixture(redis::Client* redis = nullptr, RateLimitConfig limits = {})
      : key_{"acc-test", crypto::NewSigningKeyPair()},
        admission_(redis),
        authenticator_(&ring_, nullptr, nullptr),
        gatekeeper_(&authenticator_, &admission_, limits) {
    REQUIRE(ring_
                .Add(auth::PublicKeyOf(key_, KEY_PURPOSE_ACCESS_TOKEN, "accounts",
                                       absl::Now() - absl::Hours(1)))
                .ok());
    // What accounts does once Redis holds every revocation (admission.h).
    if (redis != nullptr) {
      REQUIRE(redis->Run({"SET", std::string(auth::kRevocationsCompleteKey), "1"}).ok());
    }
  }

  static accounts::v1::AccessTokenClaims SessionClaims(absl::Time issued = absl::Now()) {
    accounts::v1::AccessTokenClaims claims;
    claims.set_token_id(std::string(16, 'i'));
    claims.set_user("users/u1");
    claims.set_session("users/u1/sessions/s1");
    *claims.mutable_issue_time() = auth::ProtoFromTime(issued);
    *claims.mutable_expire_time() = auth::ProtoFromTime(issued + absl::Minutes(15));
    return claims;
  }

  static accounts::v1::AccessTokenClaims ApiKeyClaims(common::v1::Scope scope) {
    accounts::v1::AccessTokenClaims claims = SessionClaims();
    claims.clear_session();
    claims.set_api_key("users/u1/apiKeys/k1");
    claims.add_scopes(scope);
    return claims;
  }

  std::string Bearer(const accounts::v1::AccessTokenClaims& claims) const {
    return "Bearer " + auth::IssueAccessToken(key_, claims);
  }

  GateResult Identify(const AuthPolicy& policy, const std::string& authorization,
                      std::shared_ptr<const Caller>* caller = nullptr) {
    std::shared_ptr<const Caller> ignored;
    return gatekeeper_.Identify(policy, authorization, "req", caller ? caller : &ignored);
  }

  Gatekeeper& gatekeeper() { return gatekeeper_; }
  const auth::SigningKey& key() const { return key_; }

 private:
  auth::SigningKey key_;
  auth::KeyRing ring_;
  Admission admission_;
  Authenticator authenticator_;
  Gatekeeper gatekeeper_;
};

TEST_CASE("gateway accepts a valid session token and knows its session", "[gateway][auth]") {
  Fixture fixture;
  std::shared_ptr<const Caller> caller;
  const GateResult result =
      fixture.Identify(kSessionOnly, fixture.Bearer(Fixture::SessionClaims()), &caller);
  REQUIRE(result.ok());
  REQUIRE(caller != nullptr);
  CHECK(caller->principal.kind() == common::v1::PRINCIPAL_KIND_SESSION);
  CHECK(caller->principal.user() == "users/u1");
  CHECK(caller->revocation_key == "bc:revoked:session:s1");
  CHECK(caller->rate_limit_key == "bc:rl:user:u1");

  // The second time comes from the cache and gives the same caller.
  std::shared_ptr<const Caller> again;
  REQUIRE(fixture.Identify(kSessionOnly, fixture.Bearer(Fixture::SessionClaims()), &again).ok());
}

TEST_CASE("gateway refuses missing, malformed, forged, unknown-key and expired tokens with 401",
          "[gateway][auth]") {
  Fixture fixture;
  const GateResult missing = fixture.Identify(kSessionOnly, "");
  CHECK(missing.status.code() == absl::StatusCode::kUnauthenticated);
  CHECK(missing.www_authenticate == "Bearer realm=\"bitcontent\"");

  CHECK(fixture.Identify(kSessionOnly, "Basic dXNlcjpwYXNz").status.code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(fixture.Identify(kSessionOnly, "Bearer not-a-token").status.code() ==
        absl::StatusCode::kUnauthenticated);

  // Same key id, another private key: a forgery.
  const auth::SigningKey forger{fixture.key().key_id, crypto::NewSigningKeyPair()};
  const GateResult forged = fixture.Identify(
      kSessionOnly, "Bearer " + auth::IssueAccessToken(forger, Fixture::SessionClaims()));
  CHECK(forged.status.code() == absl::StatusCode::kUnauthenticated);
  CHECK(forged.www_authenticate.find("invalid_token") != std::string::npos);

  const auth::SigningKey stranger{"acc-unknown", crypto::NewSigningKeyPair()};
  CHECK(fixture
            .Identify(kSessionOnly,
                      "Bearer " + auth::IssueAccessToken(stranger, Fixture::SessionClaims()))
            .status.code() == absl::StatusCode::kUnauthenticated);

  const GateResult expired = fixture.Identify(
      kSessionOnly, fixture.Bearer(Fixture::SessionClaims(absl::Now() - absl::Minutes(20))));
  CHECK(expired.status.code() == absl::StatusCode::kUnauthenticated);
  REQUIRE(expired.details.has_value());
  CHECK(expired.details->reason() == common::v1::ERROR_REASON_TOKEN_EXPIRED);

  const GateResult refresh = fixture.Identify(kSessionOnly, "Bearer bcr_0123456789abcdef_x");
  CHECK(refresh.status.code() == absl::StatusCode::kUnauthenticated);
  CHECK(refresh.status.message().find("refresh") != absl::string_view::npos);
}

TEST_CASE("gateway holds API keys to their routes and scopes", "[gateway][auth]") {
  Fixture fixture;
  const std::string files_read =
      fixture.Bearer(Fixture::ApiKeyClaims(common::v1::SCOPE_FILES_READ));
  const std::string wallet_pay =
      fixture.Bearer(Fixture::ApiKeyClaims(common::v1::SCOPE_WALLET_PAY));

  std::shared_ptr<const Caller> caller;
  REQUIRE(fixture.Identify(kFilesRead, files_read, &caller).ok());
  CHECK(caller->revocation_key == "bc:revoked:api_key:k1");
  CHECK(caller->rate_limit_key == "bc:rl:api_key:k1");

  const GateResult lacking = fixture.Identify(kFilesRead, wallet_pay);
  CHECK(lacking.status.code() == absl::StatusCode::kPermissionDenied);
  CHECK(lacking.status.message().find("files:read") != absl::string_view::npos);
  CHECK(lacking.details->reason() == common::v1::ERROR_REASON_SCOPE_MISSING);
  CHECK(lacking.www_authenticate.find("insufficient_scope") != std::string::npos);

  CHECK(fixture.Identify(kSessionOnly, files_read).status.code() ==
        absl::StatusCode::kPermissionDenied);
  CHECK(fixture.Identify(kOperator, files_read).status.code() ==
        absl::StatusCode::kPermissionDenied);
}

TEST_CASE("gateway routes open to anyone take an optional token, checked like any other",
          "[gateway][auth]") {
  constexpr AuthPolicy kLinkReader = {
      .access = Access::kPublicOrMember, .api_keys = true, .scope = common::v1::SCOPE_FILES_READ};
  Fixture fixture;

  // Anonymous still works, and sets no caller.
  std::shared_ptr<const Caller> caller;
  REQUIRE(fixture.Identify(kLinkReader, "", &caller).ok());
  CHECK(caller == nullptr);

  // With a valid token the service is told who asks (a buyer of a priced file).
  REQUIRE(fixture.Identify(kLinkReader, fixture.Bearer(Fixture::SessionClaims()), &caller).ok());
  REQUIRE(caller != nullptr);
  CHECK(caller->principal.user() == "users/u1");
  CHECK_FALSE(caller->access_token.empty());

  // A bad token is refused, never taken for anonymous: the member would otherwise be
  // told to pay for what they bought.
  const GateResult forged = fixture.Identify(kLinkReader, "Bearer not-a-token", &caller);
  CHECK(forged.status.code() == absl::StatusCode::kUnauthenticated);
  CHECK(caller == nullptr);
  const GateResult expired = fixture.Identify(
      kLinkReader, fixture.Bearer(Fixture::SessionClaims(absl::Now() - absl::Minutes(20))));
  CHECK(expired.status.code() == absl::StatusCode::kUnauthenticated);
  REQUIRE(expired.details.has_value());
  CHECK(expired.details->reason() == common::v1::ERROR_REASON_TOKEN_EXPIRED);

  // API keys hold to the route's scope here too.
  CHECK(fixture
            .Identify(kLinkReader,
                      fixture.Bearer(Fixture::ApiKeyClaims(common::v1::SCOPE_FILES_READ)))
            .ok());
  CHECK(fixture
            .Identify(kLinkReader,
                      fixture.Bearer(Fixture::ApiKeyClaims(common::v1::SCOPE_WALLET_PAY)))
            .status.code() == absl::StatusCode::kPermissionDenied);

  // Plain public routes ignore a token, even a bad one.
  CHECK(fixture.Identify({.access = Access::kPublic}, "Bearer not-a-token").ok());
}

TEST_CASE("gateway lets only operators call operator routes", "[gateway][auth]") {
  Fixture fixture;
  CHECK(fixture.Identify(kOperator, fixture.Bearer(Fixture::SessionClaims())).status.code() ==
        absl::StatusCode::kPermissionDenied);
  accounts::v1::AccessTokenClaims operator_claims = Fixture::SessionClaims();
  operator_claims.set_operator_(true);
  CHECK(fixture.Identify(kOperator, fixture.Bearer(operator_claims)).ok());
}

TEST_CASE("gateway refuses a revoked session and limits principals in Redis", "[gateway][auth]") {
  redis::RedisServer server;
  auto redis = redis::Client::Connect({.address = server.address()});
  REQUIRE(redis.ok());
  Fixture fixture(redis->get(), {.principal_requests = 2});
  std::shared_ptr<const Caller> caller;
  REQUIRE(fixture.Identify(kSessionOnly, fixture.Bearer(Fixture::SessionClaims()), &caller).ok());
  const google::protobuf::Message& empty = accounts::v1::LogoutRequest::default_instance();

  CHECK(Admitted(fixture.gatekeeper(), kSessionOnly, caller.get(), "10.0.0.1", empty).ok());
  CHECK(Admitted(fixture.gatekeeper(), kSessionOnly, caller.get(), "10.0.0.1", empty).ok());
  const GateResult limited =
      Admitted(fixture.gatekeeper(), kSessionOnly, caller.get(), "10.0.0.2", empty);
  CHECK(limited.status.code() == absl::StatusCode::kResourceExhausted);
  CHECK(limited.details->retry_after_ms() > 0);

  REQUIRE((*redis)->Run({"SET", "bc:revoked:session:s1", "1", "PX", "60000"}).ok());
  const GateResult revoked =
      Admitted(fixture.gatekeeper(), kSessionOnly, caller.get(), "10.0.0.1", empty);
  CHECK(revoked.status.code() == absl::StatusCode::kUnauthenticated);
  CHECK(revoked.details->reason() == common::v1::ERROR_REASON_TOKEN_REVOKED);

  server.Stop();
  const GateResult unverifiable =
      Admitted(fixture.gatekeeper(), kSessionOnly, caller.get(), "10.0.0.1", empty);
  CHECK(unverifiable.status.code() == absl::StatusCode::kUnavailable);
  CHECK(unverifiable.details->retry_after_ms() == 1000);
}

TEST_CASE("gateway counts chunk transfers in a budget of their own", "[gateway][auth]") {
  redis::RedisServer server;
  auto redis = redis::Client::Connect({.address = server.address()});
  REQUIRE(redis.ok());
  Fixture fixture(redis->get(), {.principal_requests = 2, .chunk_requests = 3});
  std::shared_ptr<const Caller> caller;
  REQUIRE(fixture.Identify(kSessionOnly, fixture.Bearer(Fixture::SessionClaims()), &caller).ok());
  const google::protobuf::Message& empty = accounts::v1::LogoutRequest::default_instance();
  const AuthPolicy chunks = {.access = Access::kMember, .limit = Limit::kChunks};

  // Three chunks fit, the fourth waits; the other calls still have their whole budget.
  for (int i = 0; i < 3; ++i) {
    CHECK(Admitted(fixture.gatekeeper(), chunks, caller.get(), "10.0.0.1", empty).ok());
  }
  CHECK(Admitted(fixture.gatekeeper(), chunks, caller.get(), "10.0.0.1", empty).status.code() ==
        absl::StatusCode::kResourceExhausted);
  CHECK(Admitted(fixture.gatekeeper(), kSessionOnly, caller.get(), "10.0.0.1", empty).ok());
  CHECK(Admitted(fixture.gatekeeper(), kSessionOnly, caller.get(), "10.0.0.1", empty).ok());
}

TEST_CASE("gateway limits credential attempts per normalised email", "[gateway][auth]") {
  redis::RedisServer server;
  auto redis = redis::Client::Connect({.address = server.address()});
  REQUIRE(redis.ok());
  Fixture fixture(redis->get(), {.credential_email_attempts = 2});
  accounts::v1::LoginRequest login;
  login.set_email("  Ada@Example.COM ");
  CHECK(Admitted(fixture.gatekeeper(), kCredential, nullptr, "10.0.0.1", login).ok());
  login.set_email("ada@example.com");
  CHECK(Admitted(fixture.gatekeeper(), kCredential, nullptr, "10.0.0.2", login).ok());
  const GateResult third = Admitted(fixture.gatekeeper(), kCredential, nullptr, "10.0.0.3", login);
  CHECK(third.status.code() == absl::StatusCode::kResourceExhausted);
  // Saying which limits, so that a member locked out by another's guesses knows why.
  CHECK_THAT(std::string(third.status.message()),
             Catch::StartsWith("too many sign-in attempts (at most 2 per email and 100 per "
                               "network address every 15 minutes, whether they succeed or not); "
                               "retry after "));
  // Another email from the same addresses is still welcome.
  login.set_email("grace@example.com");
  CHECK(Admitted(fixture.gatekeeper(), kCredential, nullptr, "10.0.0.3", login).ok());
}

TEST_CASE("gateway slows down a client that tries token after token", "[gateway][auth]") {
  redis::RedisServer server;
  auto redis = redis::Client::Connect({.address = server.address()});
  REQUIRE(redis.ok());
  Fixture fixture(redis->get(), {.ip_requests = 2});
  for (int attempt = 0; attempt < 2; ++attempt) {
    const GateResult refused = Counted(
        fixture.gatekeeper(),
        fixture.Identify(kSessionOnly, "Bearer guess-" + std::to_string(attempt)), "10.0.0.9");
    CHECK(refused.status.code() == absl::StatusCode::kUnauthenticated);
  }
  const GateResult limited =
      Counted(fixture.gatekeeper(), fixture.Identify(kSessionOnly, "Bearer guess"), "10.0.0.9");
  CHECK(limited.status.code() == absl::StatusCode::kResourceExhausted);
  CHECK(limited.details->retry_after_ms() > 0);
  // Other refusals (a missing scope) are not what guessing looks like: left as they are.
  GateResult forbidden;
  forbidden.status = absl::PermissionDeniedError("no");
  CHECK(Counted(fixture.gatekeeper(), forbidden, "10.0.0.9").status.code() ==
        absl::StatusCode::kPermissionDenied);
}

TEST_CASE("gateway compares emails as accounts does", "[gateway][auth]") {
  CHECK(NormaliseEmail("  Ada@Example.COM\t") == "ada@example.com");
}

}  // namespace
}  // namespace bitcontent::gateway
