// The accounts service through real gRPC: the bitcontent-accounts binary started by the
// test harness (with Redis, and Argon2id at test strength through its flags), called as
// the gateway and clients call it. Client-side values are derived as a real client
// derives them (tests/unit/accounts/client_keys.h).
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <thread>

#include "absl/strings/match.h"
#include "bitcontent/accounts/v1/accounts_admin_service.grpc.pb.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "bitcontent/accounts/v1/accounts_service.grpc.pb.h"
#include "bitcontent/common/v1/errors.pb.h"
#include "libs/kit/channel.h"
#include "libs/kit/resource_names.h"
#include "libs/redis/client.h"
#include "tests/integration/harness.h"
#include "tests/unit/accounts/client_keys.h"

namespace bitcontent {
namespace {

using accounts::v1::AccountsAdminService;
using accounts::v1::AccountsInternalService;
using accounts::v1::AccountsService;
namespace client = accounts::testing;

// Argon2id at libsodium's minimum for the server's hash and the client floor: fast tests.
launch::SuiteOptions FastArgon(std::vector<std::string> more = {}) {
  more.push_back("--operator_emails=ops@example.com");
  return testing::CheapAccounts(std::move(more));
}

// A call context with a deadline and, when given, a bearer token.
std::unique_ptr<grpc::ClientContext> Context(absl::string_view token = "") {
  std::unique_ptr<grpc::ClientContext> context = kit::NewCallContext(absl::Seconds(10));
  if (!token.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return context;
}

// `token` with one character changed: a signature that no longer verifies.
std::string Forged(std::string token) {
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  return token;
}

struct Accounts {
  explicit Accounts(testing::TestSuite& suite)
      : channel(kit::NewChannel(suite->grpc_address("accounts"))),
        members(AccountsService::NewStub(channel)),
        internal(AccountsInternalService::NewStub(channel)),
        admin(AccountsAdminService::NewStub(channel)) {}

  accounts::v1::SignUpResponse SignUp(absl::string_view email, const client::ClientKeys& keys,
                                      absl::string_view device = "laptop") {
    accounts::v1::SignUpResponse response;
    grpc::Status status =
        members->SignUp(Context().get(), client::SignUpRequestFor(email, keys, device), &response);
    REQUIRE(status.error_message() == "");
    return response;
  }

  accounts::v1::PreLoginResponse PreLogin(absl::string_view email) {
    accounts::v1::PreLoginRequest request;
    request.set_email(std::string(email));
    accounts::v1::PreLoginResponse response;
    REQUIRE(members->PreLogin(Context().get(), request, &response).ok());
    return response;
  }

  grpc::Status Login(absl::string_view email, absl::string_view password, absl::string_view device,
                     accounts::v1::LoginResponse* response) {
    return members->Login(Context().get(),
                          client::LoginRequestFor(email, password, PreLogin(email), device),
                          response);
  }

  grpc::Status GetMe(absl::string_view token, accounts::v1::User* user = nullptr) {
    accounts::v1::GetUserRequest request;
    request.set_name("users/me");
    accounts::v1::User ignored;
    return members->GetUser(Context(token).get(), request, user != nullptr ? user : &ignored);
  }

  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<AccountsService::Stub> members;
  std::unique_ptr<AccountsInternalService::Stub> internal;
  std::unique_ptr<AccountsAdminService::Stub> admin;
};

TEST_CASE("accounts over gRPC: sign-up, second device, sessions, revoke and logout",
          "[integration]") {
  testing::TestSuite suite({"accounts"}, FastArgon());
  Accounts accounts(suite);
  const client::ClientKeys keys = client::NewClientKeys("correct horse");
  const accounts::v1::SignUpResponse laptop = accounts.SignUp("Zoe@Example.com", keys);
  CHECK(laptop.user().email() == "zoe@example.com");

  accounts::v1::User me;
  REQUIRE(accounts.GetMe(laptop.tokens().access_token(), &me).ok());
  CHECK(me.name() == laptop.user().name());
  CHECK(me.public_key() == keys.box.public_key);

  accounts::v1::LoginResponse phone;
  REQUIRE(accounts.Login("zoe@example.com", "correct horse", "phone", &phone).ok());
  CHECK(client::UnwrapMasterKey(phone.key_bundle(), "correct horse") == keys.master_key);

  accounts::v1::ListSessionsRequest list;
  list.set_parent("users/me");
  accounts::v1::ListSessionsResponse sessions;
  REQUIRE(
      accounts.members->ListSessions(Context(laptop.tokens().access_token()).get(), list, &sessions)
          .ok());
  REQUIRE(sessions.sessions_size() == 2);
  int current = 0;
  for (const accounts::v1::Session& session : sessions.sessions()) {
    current += session.current() ? 1 : 0;
    CHECK(session.last_ip() == "127.0.0.1");
    if (session.current()) CHECK(session.name() == laptop.tokens().session());
  }
  CHECK(current == 1);

  // The laptop signs the phone out; accounts itself refuses the phone's tokens at once.
  accounts::v1::RevokeSessionRequest revoke;
  revoke.set_name(phone.tokens().session());
  accounts::v1::Session revoked;
  REQUIRE(accounts.members
              ->RevokeSession(Context(laptop.tokens().access_token()).get(), revoke, &revoked)
              .ok());
  CHECK(accounts.GetMe(phone.tokens().access_token()).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
  accounts::v1::RefreshRequest refresh;
  refresh.set_refresh_token(phone.tokens().refresh_token());
  accounts::v1::RefreshResponse refreshed;
  CHECK(accounts.members->Refresh(Context().get(), refresh, &refreshed).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);

  // Logging out ends the laptop's session the same way, and answers once Redis, where the
  // gateway looks, has the revocation: while Redis is frozen, the logout waits for it.
  CHECK(accounts.GetMe(laptop.tokens().access_token()).ok());
  suite->process("redis")->Signal(SIGSTOP);
  std::atomic<bool> answered = false;
  grpc::Status logout;
  std::thread logging_out([&] {
    accounts::v1::LogoutResponse logged_out;
    logout = accounts.members->Logout(Context(laptop.tokens().access_token()).get(),
                                      accounts::v1::LogoutRequest(), &logged_out);
    answered = true;
  });
  absl::SleepFor(absl::Milliseconds(250));
  CHECK_FALSE(answered);
  suite->process("redis")->Signal(SIGCONT);
  logging_out.join();
  REQUIRE(logout.ok());
  CHECK(accounts.GetMe(laptop.tokens().access_token()).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);

  // The gateway hears of both revocations through Redis, by the time each call answered.
  std::unique_ptr<redis::Client> redis =
      redis::Client::Connect({.address = suite->redis_address()}).value();
  for (const std::string& session : {phone.tokens().session(), laptop.tokens().session()}) {
    const std::string key = absl::StrCat("bc:revoked:session:", kit::IdOfName(session));
    CHECK(redis->Run({"EXISTS", key})->integer == 1);
  }
}

TEST_CASE("accounts over gRPC: requests without a valid token and for others are refused",
          "[integration]") {
  testing::TestSuite suite({"accounts"}, FastArgon());
  Accounts accounts(suite);
  const accounts::v1::SignUpResponse yan =
      accounts.SignUp("yan@example.com", client::NewClientKeys("pw"));
  const accounts::v1::SignUpResponse xia =
      accounts.SignUp("xia@example.com", client::NewClientKeys("pw"));
  CHECK(accounts.GetMe("").error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(accounts.GetMe(Forged(yan.tokens().access_token())).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);

  accounts::v1::GetUserRequest other;
  other.set_name(xia.user().name());
  accounts::v1::User user;
  CHECK(accounts.members->GetUser(Context(yan.tokens().access_token()).get(), other, &user)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  accounts::v1::RevokeSessionRequest revoke;
  revoke.set_name(xia.tokens().session());
  accounts::v1::Session session;
  CHECK(
      accounts.members->RevokeSession(Context(yan.tokens().access_token()).get(), revoke, &session)
          .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(accounts.GetMe(xia.tokens().access_token()).ok());
}

TEST_CASE("accounts over gRPC: coalesced GetUser calls are each authorised as GetUser would",
          "[integration]") {
  testing::TestSuite suite({"accounts"}, FastArgon());
  Accounts accounts(suite);
  const accounts::v1::SignUpResponse yan =
      accounts.SignUp("yan@example.com", client::NewClientKeys("pw"));
  const accounts::v1::SignUpResponse xia =
      accounts.SignUp("xia@example.com", client::NewClientKeys("pw"));
  accounts::v1::LoginResponse gone;
  REQUIRE(accounts.Login("xia@example.com", "pw", "old phone", &gone).ok());
  accounts::v1::LogoutResponse logged_out;
  REQUIRE(accounts.members
              ->Logout(Context(gone.tokens().access_token()).get(), accounts::v1::LogoutRequest(),
                       &logged_out)
              .ok());

  common::v1::CoalescedCallsRequest batch;
  const auto add = [&](const std::string& token, const std::string& name) {
    common::v1::CoalescedCall* call = batch.add_calls();
    call->set_bearer_token(token);
    call->set_request_id(absl::StrCat("call-", batch.calls_size()));
    accounts::v1::GetUserRequest get;
    get.set_name(name);
    get.SerializeToString(call->mutable_request());
  };
  add(yan.tokens().access_token(), "users/me");
  add(xia.tokens().access_token(), "users/me");
  add(yan.tokens().access_token(), xia.user().name());  // Someone else's account.
  add(Forged(yan.tokens().access_token()), "users/me");
  add(gone.tokens().access_token(), "users/me");  // A signed-out session.
  add("", "users/me");
  add(yan.tokens().access_token(), "users/me");
  batch.mutable_calls(6)->set_request("\xff\xff not a request");
  common::v1::CoalescedCallsResponse answers;
  REQUIRE(accounts.internal->CoalescedGetUser(Context().get(), batch, &answers).ok());
  REQUIRE(answers.results_size() == 7);
  const auto user_of = [&](int i) {
    accounts::v1::User user;
    REQUIRE(answers.results(i).code() == 0);
    REQUIRE(user.ParseFromString(answers.results(i).response()));
    return user;
  };
  CHECK(user_of(0).name() == yan.user().name());
  CHECK(user_of(1).name() == xia.user().name());
  CHECK(user_of(1).email() == "xia@example.com");
  CHECK(answers.results(2).code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(answers.results(2).response().empty());
  CHECK(answers.results(3).code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(answers.results(4).code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(answers.results(4).details().reason() == common::v1::ERROR_REASON_TOKEN_REVOKED);
  CHECK(answers.results(4).details().request_id() == "call-5");
  CHECK(answers.results(5).code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(answers.results(6).code() == grpc::StatusCode::INVALID_ARGUMENT);

  // A batch past the limit is refused whole.
  while (batch.calls_size() <= 128) *batch.add_calls() = batch.calls(0);
  CHECK(accounts.internal->CoalescedGetUser(Context().get(), batch, &answers).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("accounts over gRPC: pre-login and login do not tell which emails exist",
          "[integration]") {
  testing::TestSuite suite({"accounts"}, FastArgon());
  Accounts accounts(suite);
  accounts.SignUp("known@example.com", client::NewClientKeys("right"));
  const accounts::v1::PreLoginResponse known = accounts.PreLogin("known@example.com");
  const accounts::v1::PreLoginResponse unknown = accounts.PreLogin("unknown@example.com");
  CHECK(known.salt().size() == unknown.salt().size());
  CHECK(known.kdf_params().SerializeAsString() == unknown.kdf_params().SerializeAsString());
  CHECK(accounts.PreLogin("unknown@example.com").salt() == unknown.salt());

  accounts::v1::LoginResponse response;
  const grpc::Status wrong = accounts.Login("known@example.com", "wrong", "x", &response);
  const grpc::Status nobody = accounts.Login("unknown@example.com", "right", "x", &response);
  CHECK(wrong.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  CHECK(nobody.error_code() == wrong.error_code());
  CHECK(nobody.error_message() == wrong.error_message());
}

TEST_CASE("accounts over gRPC: nothing in the accounts RocksDB decrypts a member's files",
          "[integration]") {
  testing::TestSuite suite({"accounts"}, FastArgon());
  Accounts accounts(suite);
  const client::ClientKeys keys = client::NewClientKeys("a very secret password");
  accounts.SignUp("secret@example.com", keys);
  std::string bytes;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(suite.var_dir() / "data" / "accounts")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  REQUIRE(bytes.find("secret@example.com") != std::string::npos);  // The data is there.
  for (const std::string* secret :
       {&keys.password, &keys.password_keys.auth_key, &keys.password_keys.key_encryption_key,
        &keys.master_key, &keys.recovery_auth_key, &keys.box.secret_key}) {
    CHECK(bytes.find(*secret) == std::string::npos);
  }
}

TEST_CASE("accounts over gRPC: an API key's secret is shown once and limits its token",
          "[integration]") {
  testing::TestSuite suite({"accounts"}, FastArgon());
  Accounts accounts(suite);
  const accounts::v1::SignUpResponse member =
      accounts.SignUp("keys@example.com", client::NewClientKeys("pw"));
  const std::string session_token = member.tokens().access_token();

  accounts::v1::CreateApiKeyRequest create;
  create.set_parent("users/me");
  create.set_display_name("photo sync");
  create.add_scopes(common::v1::SCOPE_FILES_READ);
  accounts::v1::CreateApiKeyResponse created;
  REQUIRE(accounts.members->CreateApiKey(Context(session_token).get(), create, &created).ok());
  CHECK(absl::StartsWith(created.secret(), "bck_"));

  accounts::v1::ListApiKeysRequest list;
  list.set_parent("users/me");
  list.set_show_inactive(true);
  accounts::v1::ListApiKeysResponse listed;
  REQUIRE(accounts.members->ListApiKeys(Context(session_token).get(), list, &listed).ok());
  REQUIRE(listed.api_keys_size() == 1);
  CHECK(listed.api_keys(0).name() == created.api_key().name());
  // The 32 random bytes (43 base64url characters, which may hold '_' themselves).
  const std::string secret_part = created.secret().substr(created.secret().size() - 43);
  CHECK(listed.SerializeAsString().find(secret_part) == std::string::npos);

  // The gateway's exchange: the secret for a short-lived token with the key's scopes.
  accounts::v1::AuthenticateApiKeyRequest exchange;
  exchange.set_secret(created.secret());
  accounts::v1::AuthenticateApiKeyResponse exchanged;
  REQUIRE(accounts.internal->AuthenticateApiKey(Context().get(), exchange, &exchanged).ok());
  CHECK(exchanged.principal().kind() == common::v1::PRINCIPAL_KIND_API_KEY);
  const std::string key_token = exchanged.access_token();
  accounts::v1::GetQuotaRequest quota_request;
  quota_request.set_name("users/me/quota");
  accounts::v1::Quota quota;
  REQUIRE(accounts.members->GetQuota(Context(key_token).get(), quota_request, &quota).ok());
  CHECK(quota.limit_bytes() == 100'000'000'000);
  accounts::v1::ListSessionsRequest sessions_request;
  sessions_request.set_parent("users/me");
  accounts::v1::ListSessionsResponse sessions;
  CHECK(accounts.members->ListSessions(Context(key_token).get(), sessions_request, &sessions)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);

  accounts::v1::RevokeApiKeyRequest revoke;
  revoke.set_name(created.api_key().name());
  accounts::v1::ApiKey revoked;
  REQUIRE(accounts.members->RevokeApiKey(Context(session_token).get(), revoke, &revoked).ok());
  CHECK(revoked.state() == accounts::v1::API_KEY_STATE_REVOKED);
  CHECK(accounts.members->GetQuota(Context(key_token).get(), quota_request, &quota).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
  CHECK(accounts.internal->AuthenticateApiKey(Context().get(), exchange, &exchanged).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
}

TEST_CASE("accounts over gRPC: a full quota answers with its reason in the error details",
          "[integration]") {
  testing::TestSuite suite({"accounts"}, FastArgon({"--default_quota_bytes=1000"}));
  Accounts accounts(suite);
  const accounts::v1::SignUpResponse member =
      accounts.SignUp("full@example.com", client::NewClientKeys("pw"));
  accounts::v1::ReserveQuotaRequest reserve;
  reserve.set_user(member.user().name());
  reserve.set_reservation_id("upload-1");
  reserve.set_size_bytes(1001);
  accounts::v1::QuotaReservation reservation;
  std::unique_ptr<grpc::ClientContext> context = Context();
  const grpc::Status full = accounts.internal->ReserveQuota(context.get(), reserve, &reservation);
  CHECK(full.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
  CHECK_THAT(full.error_message(), Catch::Contains("only 1000 bytes are free"));
  const auto& trailers = context->GetServerTrailingMetadata();
  auto found = trailers.find("bitcontent-error-details-bin");
  REQUIRE(found != trailers.end());
  common::v1::ErrorDetails details;
  REQUIRE(details.ParseFromArray(found->second.data(), static_cast<int>(found->second.size())));
  CHECK(details.reason() == common::v1::ERROR_REASON_QUOTA_EXCEEDED);
  CHECK_FALSE(details.request_id().empty());

  reserve.set_size_bytes(1000);
  REQUIRE(accounts.internal->ReserveQuota(Context().get(), reserve, &reservation).ok());
  CHECK(reservation.state() == accounts::v1::QUOTA_RESERVATION_STATE_HELD);
}

TEST_CASE("accounts over gRPC: tokens survive a restart of accounts", "[integration]") {
  testing::TestSuite suite({"accounts"}, FastArgon());
  const accounts::v1::SignUpResponse member = [&] {
    Accounts accounts(suite);
    return accounts.SignUp("stays@example.com", client::NewClientKeys("pw"));
  }();
  REQUIRE(suite->StopService("accounts", absl::Seconds(10)).ok());
  REQUIRE(suite->StartService("accounts").ok());
  Accounts accounts(suite);
  CHECK(accounts.GetMe(member.tokens().access_token()).ok());
  accounts::v1::RefreshRequest refresh;
  refresh.set_refresh_token(member.tokens().refresh_token());
  accounts::v1::RefreshResponse refreshed;
  CHECK(accounts.members->Refresh(Context().get(), refresh, &refreshed).ok());
}

TEST_CASE("accounts over gRPC: an operator imports legacy members who then claim them",
          "[integration]") {
  testing::TestSuite suite({"accounts"}, FastArgon());
  Accounts accounts(suite);
  const std::string operator_token =
      accounts.SignUp("ops@example.com", client::NewClientKeys("pw")).tokens().access_token();
  const std::string member_token =
      accounts.SignUp("member@example.com", client::NewClientKeys("pw")).tokens().access_token();

  accounts::v1::ImportLegacyAccountsRequest batch;
  batch.set_issue_claim_tokens(true);
  for (int line = 1; line <= 3; ++line) {
    accounts::v1::LegacyAccount* account = batch.add_accounts();
    account->set_line_number(line);
    account->set_email(absl::StrCat("legacy", line, "@example.com"));
    account->set_legacy_id(absl::StrCat("L", line));
  }
  {  // A member without the operator role is turned away.
    std::unique_ptr<grpc::ClientContext> context = Context(member_token);
    auto stream = accounts.admin->ImportLegacyAccounts(context.get());
    stream->Write(batch);
    stream->WritesDone();
    accounts::v1::ImportLegacyAccountsResponse ignored;
    while (stream->Read(&ignored)) {
    }
    CHECK(stream->Finish().error_code() == grpc::StatusCode::PERMISSION_DENIED);
  }
  std::unique_ptr<grpc::ClientContext> context = Context(operator_token);
  auto stream = accounts.admin->ImportLegacyAccounts(context.get());
  REQUIRE(stream->Write(batch));
  REQUIRE(stream->Write(batch));  // The same lines again: nothing new.
  stream->WritesDone();
  std::vector<accounts::v1::ImportLegacyAccountsResponse> answers;
  accounts::v1::ImportLegacyAccountsResponse answer;
  while (stream->Read(&answer)) answers.push_back(answer);
  REQUIRE(stream->Finish().ok());
  REQUIRE(answers.size() == 2);
  CHECK(answers[0].created_count() == 3);
  CHECK(answers[1].created_count() == 3);
  CHECK(answers[1].already_imported_count() == 3);
  const std::string claim_token = answers[0].results(1).claim_token();
  REQUIRE_FALSE(claim_token.empty());

  const client::ClientKeys keys = client::NewClientKeys("legacy password");
  accounts::v1::ClaimLegacyAccountRequest claim;
  claim.set_claim_token(claim_token);
  claim.set_email("legacy2@example.com");
  *claim.mutable_password() = keys.envelope;
  claim.set_public_key(keys.box.public_key);
  claim.set_wrapped_private_key(keys.wrapped_private_key);
  claim.set_recovery_auth_key(keys.recovery_auth_key);
  accounts::v1::ClaimLegacyAccountResponse claimed;
  REQUIRE(accounts.members->ClaimLegacyAccount(Context().get(), claim, &claimed).ok());
  CHECK(claimed.user().legacy_id() == "L2");
  CHECK(accounts.members->ClaimLegacyAccount(Context().get(), claim, &claimed).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);
  accounts::v1::LoginResponse login;
  CHECK(accounts.Login("legacy2@example.com", "legacy password", "x", &login).ok());
}

}  // namespace
}  // namespace bitcontent
