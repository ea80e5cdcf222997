// API keys: shown once, stored hashed, limited to their scopes (and with wallet:pay to a
// spend limit), revocable at once.
#include <catch2/catch.hpp>

#include "libs/auth/access_token.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "tests/unit/accounts/test_domain.h"

namespace bitcontent::accounts {
namespace {

using common::v1::SCOPE_FILES_READ;
using common::v1::SCOPE_WALLET_PAY;
using testing::TestDomain;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
const std::string kUser = ids::NewId();

v1::CreateApiKeyRequest KeyRequest(std::vector<common::v1::Scope> scopes) {
  v1::CreateApiKeyRequest request;
  request.set_parent("users/me");
  request.set_display_name("backup script");
  for (common::v1::Scope scope : scopes) request.add_scopes(scope);
  return request;
}

v1::CreateApiKeyRequest PayingKeyRequest(uint64_t limit_msat) {
  v1::CreateApiKeyRequest request = KeyRequest({SCOPE_WALLET_PAY});
  request.mutable_spend_limit()->set_limit_msat(limit_msat);
  request.mutable_spend_limit()->set_period(v1::SPEND_LIMIT_PERIOD_DAY);
  return request;
}

TEST_CASE("an API key's secret is shown once and only its hash is kept", "[accounts]") {
  TestDomain domain;
  absl::StatusOr<CreatedApiKey> created =
      domain->api_keys().Create(kUser, KeyRequest({SCOPE_FILES_READ}), kNow);
  REQUIRE(created.ok());
  CHECK(absl::StartsWith(created->secret, "bck_"));
  CHECK(created->api_key.key_prefix() == created->secret.substr(0, 12));
  CHECK(created->api_key.state() == v1::API_KEY_STATE_ACTIVE);

  absl::StatusOr<ApiKeyPage> listed = domain->api_keys().List(kUser, 0, "", false, kNow);
  REQUIRE(listed.ok());
  REQUIRE(listed->api_keys.size() == 1);
  CHECK(listed->api_keys[0].SerializeAsString().find(created->secret) == std::string::npos);
  // The 32 random bytes (43 base64url characters, which may hold '_' themselves) end
  // the secret.
  const std::string secret_part = created->secret.substr(created->secret.size() - 43);
  store::ColumnFamily keys = domain.store().Family("api_keys").value();
  for (store::PrefixIterator it = domain.store().Scan(keys, {}); it.Valid(); it.Next()) {
    CHECK(std::string(it.value()).find(secret_part) == std::string::npos);
  }

  absl::StatusOr<storage::ApiKeyRecord> used =
      domain->api_keys().Authenticate(created->secret, kNow);
  REQUIRE(used.ok());
  CHECK(used->api_key().name() == created->api_key.name());
  std::string wrong = created->secret;
  wrong.back() = wrong.back() == 'x' ? 'y' : 'x';
  CHECK(domain->api_keys().Authenticate(wrong, kNow).status().code() ==
        absl::StatusCode::kUnauthenticated);
}

TEST_CASE("an API key's access token carries only the key's scopes", "[accounts]") {
  TestDomain domain;
  const CreatedApiKey created =
      domain->api_keys().Create(kUser, KeyRequest({SCOPE_FILES_READ}), kNow).value();
  const storage::ApiKeyRecord record =
      domain->api_keys().Authenticate(created.secret, kNow).value();
  const IssuedAccessToken token = domain->issuer().ForApiKey(record, kNow);
  CHECK(token.expire_time <= kNow + kApiKeyAccessTokenLifetimeMax);
  absl::StatusOr<v1::AccessTokenClaims> claims =
      auth::VerifyAccessToken(token.token, domain->signing_keys().keyring(), kNow);
  REQUIRE(claims.ok());
  const common::v1::Principal principal = auth::PrincipalFromClaims(*claims);
  CHECK(principal.kind() == common::v1::PRINCIPAL_KIND_API_KEY);
  REQUIRE(principal.scopes_size() == 1);
  CHECK(principal.scopes(0) == SCOPE_FILES_READ);
  CHECK_FALSE(principal.operator_());
  CHECK(principal.api_key() == created.api_key.name());
}

TEST_CASE("API key scope sets are checked", "[accounts]") {
  TestDomain domain;
  auto code_of = [&](const v1::CreateApiKeyRequest& request) {
    return domain->api_keys().Create(kUser, request, kNow).status().code();
  };
  CHECK(code_of(KeyRequest({})) == absl::StatusCode::kInvalidArgument);
  CHECK(code_of(KeyRequest({common::v1::SCOPE_UNSPECIFIED})) == absl::StatusCode::kInvalidArgument);
  CHECK(code_of(KeyRequest({SCOPE_WALLET_PAY})) == absl::StatusCode::kInvalidArgument);
  v1::CreateApiKeyRequest limit_without_pay = KeyRequest({SCOPE_FILES_READ});
  limit_without_pay.mutable_spend_limit()->set_limit_msat(5);
  CHECK(code_of(limit_without_pay) == absl::StatusCode::kInvalidArgument);
  v1::CreateApiKeyRequest unnamed = KeyRequest({SCOPE_FILES_READ});
  unnamed.clear_display_name();
  CHECK(code_of(unnamed) == absl::StatusCode::kInvalidArgument);
  CHECK(code_of(PayingKeyRequest(1000)) == absl::StatusCode::kOk);
}

TEST_CASE("a revoked API key stops working at once and is listed only as inactive", "[accounts]") {
  TestDomain domain;
  const CreatedApiKey created =
      domain->api_keys().Create(kUser, KeyRequest({SCOPE_FILES_READ}), kNow).value();
  const std::string key_id(kit::IdOfName(created.api_key.name()));
  absl::StatusOr<v1::ApiKey> revoked = domain->api_keys().Revoke(kUser, key_id, kNow);
  REQUIRE(revoked.ok());
  CHECK(revoked->state() == v1::API_KEY_STATE_REVOKED);
  CHECK(domain->api_keys().Authenticate(created.secret, kNow).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(domain->api_keys().List(kUser, 0, "", false, kNow)->api_keys.empty());
  absl::StatusOr<ApiKeyPage> all = domain->api_keys().List(kUser, 0, "", true, kNow);
  REQUIRE(all->api_keys.size() == 1);
  CHECK(all->api_keys[0].state() == v1::API_KEY_STATE_REVOKED);
  bool published = false;
  const std::vector<PendingRevocation> entries = domain->outbox().Oldest(100).value();
  for (const PendingRevocation& entry : entries) {
    published |= entry.kind == kRevokedApiKey && entry.id == key_id;
  }
  CHECK(published);
  CHECK(absl::IsNotFound(domain->api_keys().Revoke(kUser, ids::NewId(), kNow).status()));
}

TEST_CASE("an expired API key does not authenticate", "[accounts]") {
  TestDomain domain;
  v1::CreateApiKeyRequest request = KeyRequest({SCOPE_FILES_READ});
  *request.mutable_expire_time() = auth::ProtoFromTime(kNow + absl::Hours(1));
  const CreatedApiKey created = domain->api_keys().Create(kUser, request, kNow).value();
  CHECK(domain->api_keys().Authenticate(created.secret, kNow).ok());
  CHECK(domain->api_keys().Authenticate(created.secret, kNow + absl::Hours(2)).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(domain->api_keys().List(kUser, 0, "", true, kNow + absl::Hours(2))->api_keys[0].state() ==
        v1::API_KEY_STATE_EXPIRED);
}

TEST_CASE("CreateApiKey retried before first use gives the same key a new secret", "[accounts]") {
  TestDomain domain;
  v1::CreateApiKeyRequest request = KeyRequest({SCOPE_FILES_READ});
  request.set_request_id("create-7");
  const CreatedApiKey first = domain->api_keys().Create(kUser, request, kNow).value();
  const CreatedApiKey retry = domain->api_keys().Create(kUser, request, kNow).value();
  CHECK(retry.api_key.name() == first.api_key.name());
  CHECK(retry.secret != first.secret);
  CHECK_FALSE(domain->api_keys().Authenticate(first.secret, kNow).ok());
  CHECK(domain->api_keys().Authenticate(retry.secret, kNow).ok());
  // Once used, the secret cannot be handed out again.
  CHECK(domain->api_keys().Create(kUser, request, kNow).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(domain->api_keys().List(kUser, 0, "", true, kNow)->api_keys.size() == 1);
}

TEST_CASE("wallet:pay charges stop at the spend limit and are idempotent", "[accounts]") {
  TestDomain domain;
  const CreatedApiKey created =
      domain->api_keys().Create(kUser, PayingKeyRequest(1000), kNow).value();
  const std::string key_id(kit::IdOfName(created.api_key.name()));
  absl::StatusOr<SpendState> spent = domain->api_keys().Charge(kUser, key_id, 600, "pay-1", kNow);
  REQUIRE(spent.ok());
  CHECK(spent->spent_msat == 600);
  CHECK(spent->remaining_msat == 400);
  CHECK(domain->api_keys().Charge(kUser, key_id, 600, "pay-1", kNow)->spent_msat == 600);
  absl::StatusOr<SpendState> over = domain->api_keys().Charge(kUser, key_id, 500, "pay-2", kNow);
  CHECK(over.status().code() == absl::StatusCode::kPermissionDenied);
  CHECK(kit::DetailsOf(over.status()).reason() == common::v1::ERROR_REASON_SPEND_LIMIT_EXCEEDED);
  CHECK_THAT(std::string(over.status().message()),
             Catch::EndsWith("400 msat left of 1000 msat today (UTC)"));
  // A key limited for its whole life says so.
  v1::CreateApiKeyRequest lifetime = PayingKeyRequest(10);
  lifetime.mutable_spend_limit()->set_period(v1::SPEND_LIMIT_PERIOD_LIFETIME);
  const CreatedApiKey once = domain->api_keys().Create(kUser, lifetime, kNow).value();
  CHECK_THAT(std::string(domain->api_keys()
                             .Charge(kUser, kit::IdOfName(once.api_key.name()), 11, "pay-5", kNow)
                             .status()
                             .message()),
             Catch::EndsWith("10 msat left of 10 msat for the key's life"));
  CHECK(domain->api_keys().Refund(kUser, key_id, 200, "pay-1", kNow)->remaining_msat == 600);
  CHECK(domain->api_keys().Refund(kUser, key_id, 200, "pay-1", kNow)->remaining_msat == 600);
  // A new day starts a new period.
  CHECK(
      domain->api_keys().Charge(kUser, key_id, 900, "pay-3", kNow + absl::Hours(24))->spent_msat ==
      900);
  const CreatedApiKey reader =
      domain->api_keys().Create(kUser, KeyRequest({SCOPE_FILES_READ}), kNow).value();
  absl::StatusOr<SpendState> no_scope =
      domain->api_keys().Charge(kUser, kit::IdOfName(reader.api_key.name()), 1, "pay-4", kNow);
  CHECK(kit::DetailsOf(no_scope.status()).reason() == common::v1::ERROR_REASON_SCOPE_MISSING);
}

}  // namespace
}  // namespace bitcontent::accounts
