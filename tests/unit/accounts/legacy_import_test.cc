// Legacy import: pending-claim members from (email, legacy id, date) lines, idempotent on
// re-run, a bad line reported with its number and skipped; a claim token works once and
// sets the password exactly like a sign-up.
#include <catch2/catch.hpp>

#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "tests/unit/accounts/client_keys.h"
#include "tests/unit/accounts/test_domain.h"

namespace bitcontent::accounts {
namespace {

using testing::TestDomain;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

void AddAccount(v1::ImportLegacyAccountsRequest* request, uint64_t line, absl::string_view email,
                absl::string_view legacy_id) {
  v1::LegacyAccount* account = request->add_accounts();
  account->set_line_number(line);
  account->set_email(std::string(email));
  account->set_legacy_id(std::string(legacy_id));
  *account->mutable_legacy_create_time() =
      auth::ProtoFromTime(absl::FromUnixSeconds(1'300'000'000));
}

v1::ImportLegacyAccountsRequest SampleBatch() {
  v1::ImportLegacyAccountsRequest request;
  AddAccount(&request, 1, "Old.Member@Example.com", "legacy-1");
  AddAccount(&request, 2, "not an email", "legacy-2");
  AddAccount(&request, 4, "second@example.com", "legacy-4");
  AddAccount(&request, 5, "second@example.com", "legacy-5");  // email taken on line 4
  v1::UnparsedLine* unparsed = request.add_unparsed_lines();
  unparsed->set_line_number(3);
  unparsed->set_error("invalid JSON at column 17");
  request.set_issue_claim_tokens(true);
  return request;
}

v1::ClaimLegacyAccountRequest ClaimRequest(absl::string_view token, absl::string_view email,
                                           const testing::ClientKeys& keys) {
  v1::ClaimLegacyAccountRequest request;
  request.set_claim_token(std::string(token));
  request.set_email(std::string(email));
  *request.mutable_password() = keys.envelope;
  request.set_public_key(keys.box.public_key);
  request.set_wrapped_private_key(keys.wrapped_private_key);
  request.set_recovery_auth_key(keys.recovery_auth_key);
  *request.mutable_device() = testing::Device("laptop");
  return request;
}

TEST_CASE("legacy import reports every line and skips the bad ones", "[accounts]") {
  TestDomain domain;
  ImportTotals totals;
  absl::StatusOr<v1::ImportLegacyAccountsResponse> response =
      domain->legacy().ImportBatch(SampleBatch(), kNow, &totals);
  REQUIRE(response.ok());
  REQUIRE(response->results_size() == 5);
  for (int i = 0; i < 5; ++i) CHECK(response->results(i).line_number() == uint64_t(i + 1));
  CHECK(response->results(0).outcome() == v1::IMPORT_OUTCOME_CREATED);
  CHECK(absl::StartsWith(response->results(0).claim_token(), "bcc_"));
  CHECK(response->results(1).outcome() == v1::IMPORT_OUTCOME_REJECTED);
  CHECK_THAT(response->results(1).error(), Catch::Contains("email"));
  CHECK(response->results(2).outcome() == v1::IMPORT_OUTCOME_REJECTED);
  CHECK_THAT(response->results(2).error(), Catch::Contains("column 17"));
  CHECK(response->results(3).outcome() == v1::IMPORT_OUTCOME_CREATED);
  CHECK(response->results(4).outcome() == v1::IMPORT_OUTCOME_REJECTED);
  CHECK(response->results(4).error() == "email already belongs to another account");
  CHECK(response->created_count() == 2);
  CHECK(response->rejected_count() == 3);

  const std::string user_id(kit::IdOfName(response->results(0).user()));
  absl::StatusOr<storage::UserRecord> imported = domain->users().Get(user_id);
  REQUIRE(imported.ok());
  CHECK(imported->user().email() == "old.member@example.com");
  CHECK(imported->user().state() == v1::USER_STATE_PENDING_CLAIM);
  CHECK(imported->user().legacy_id() == "legacy-1");
  CHECK(auth::TimeFromProto(imported->user().legacy_create_time()) ==
        absl::FromUnixSeconds(1'300'000'000));
}

TEST_CASE("re-running a legacy import changes nothing", "[accounts]") {
  TestDomain domain;
  ImportTotals first_totals, second_totals;
  const v1::ImportLegacyAccountsResponse first =
      domain->legacy().ImportBatch(SampleBatch(), kNow, &first_totals).value();
  const v1::ImportLegacyAccountsResponse second =
      domain->legacy().ImportBatch(SampleBatch(), kNow, &second_totals).value();
  CHECK(second.created_count() == 0);
  CHECK(second.already_imported_count() == 2);
  CHECK(second.results(0).outcome() == v1::IMPORT_OUTCOME_ALREADY_IMPORTED);
  CHECK(second.results(0).user() == first.results(0).user());
  CHECK(second.results(0).claim_token().empty());
  CHECK(second.results(3).user() == first.results(3).user());
  store::ColumnFamily users = domain.store().Family("users").value();
  size_t count = 0;
  for (store::PrefixIterator it = domain.store().Scan(users, {}); it.Valid(); it.Next()) ++count;
  CHECK(count == 2);
}

TEST_CASE("a claim token activates the legacy account once", "[accounts]") {
  TestDomain domain;
  ImportTotals totals;
  const v1::ImportLegacyAccountsResponse imported =
      domain->legacy().ImportBatch(SampleBatch(), kNow, &totals).value();
  const std::string token = imported.results(0).claim_token();
  const testing::ClientKeys keys = testing::NewClientKeys("my new password");

  // Before the claim, login says what to do.
  v1::LoginRequest early;
  early.set_email("old.member@example.com");
  early.set_auth_key(keys.password_keys.auth_key);
  absl::StatusOr<v1::LoginResponse> pending = domain->flows().Login(early, "ip", kNow);
  CHECK(pending.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(kit::DetailsOf(pending.status()).reason() ==
        common::v1::ERROR_REASON_ACCOUNT_PENDING_CLAIM);

  // The claim must name the imported email.
  CHECK(domain->flows()
            .Claim(ClaimRequest(token, "someone.else@example.com", keys), "ip", kNow)
            .status()
            .code() == absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::ClaimLegacyAccountResponse> claimed =
      domain->flows().Claim(ClaimRequest(token, "old.member@example.com", keys), "ip", kNow);
  REQUIRE(claimed.ok());
  CHECK(claimed->user().state() == v1::USER_STATE_ACTIVE);
  CHECK(claimed->user().legacy_id() == "legacy-1");
  CHECK(claimed->user().has_claim_time());
  CHECK(claimed->user().public_key() == keys.box.public_key);

  // Used once: the same token never works again.
  absl::StatusOr<v1::ClaimLegacyAccountResponse> again = domain->flows().Claim(
      ClaimRequest(token, "old.member@example.com", testing::NewClientKeys("x")), "ip", kNow);
  CHECK(again.status().code() == absl::StatusCode::kUnauthenticated);

  v1::PreLoginRequest pre;
  pre.set_email("old.member@example.com");
  absl::StatusOr<v1::LoginResponse> login =
      domain->flows().Login(testing::LoginRequestFor("old.member@example.com", "my new password",
                                                     domain->flows().PreLogin(pre).value()),
                            "ip", kNow);
  REQUIRE(login.ok());
  CHECK(testing::UnwrapMasterKey(login->key_bundle(), "my new password") == keys.master_key);
  CHECK(domain->legacy()
            .IssueClaimToken(kit::IdOfName(claimed->user().name()), std::nullopt, kNow)
            .status()
            .code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("a newly issued claim token replaces the earlier one", "[accounts]") {
  TestDomain domain;
  ImportTotals totals;
  const v1::ImportLegacyAccountsResponse imported =
      domain->legacy().ImportBatch(SampleBatch(), kNow, &totals).value();
  const std::string user_id(kit::IdOfName(imported.results(3).user()));
  absl::StatusOr<v1::IssueClaimTokenResponse> fresh =
      domain->legacy().IssueClaimToken(user_id, std::nullopt, kNow);
  REQUIRE(fresh.ok());
  CHECK(auth::TimeFromProto(fresh->expire_time()) == kNow + kClaimTokenLifetimeDefault);
  const testing::ClientKeys keys = testing::NewClientKeys("pw");
  CHECK(domain->flows()
            .Claim(ClaimRequest(imported.results(3).claim_token(), "second@example.com", keys),
                   "ip", kNow)
            .status()
            .code() == absl::StatusCode::kUnauthenticated);
  CHECK(domain->flows()
            .Claim(ClaimRequest(fresh->claim_token(), "second@example.com", keys), "ip",
                   kNow + kClaimTokenLifetimeDefault + absl::Seconds(1))
            .status()
            .code() == absl::StatusCode::kUnauthenticated);
  CHECK(domain->flows()
            .Claim(ClaimRequest(fresh->claim_token(), "second@example.com", keys), "ip", kNow)
            .ok());
}

TEST_CASE("a sign-up cannot take an imported member's email", "[accounts]") {
  TestDomain domain;
  ImportTotals totals;
  REQUIRE(domain->legacy().ImportBatch(SampleBatch(), kNow, &totals).ok());
  CHECK(domain->flows()
            .SignUp(testing::SignUpRequestFor("second@example.com", testing::NewClientKeys("p")),
                    "ip", kNow)
            .status()
            .code() == absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace bitcontent::accounts
