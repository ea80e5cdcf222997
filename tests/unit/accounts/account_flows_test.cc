// Sign-up, pre-login and login through AccountFlows on a real RocksDB: what is stored
// (nothing that decrypts), what an attacker probing emails learns (nothing), and what a
// member gets back (tokens and a key bundle that unwraps their master key).
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>

#include "libs/auth/access_token.h"
#include "libs/kit/error_details.h"
#include "tests/unit/accounts/client_keys.h"
#include "tests/unit/accounts/test_domain.h"

namespace bitcontent::accounts {
namespace {

using testing::ClientKeys;
using testing::NewClientKeys;
using testing::SignUpRequestFor;
using testing::TestDomain;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

// Every byte of every file under `dir`: SSTs, WAL, manifests.
std::string AllFileBytes(const std::filesystem::path& dir) {
  std::string bytes;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  return bytes;
}

// Every key and value of every column family, as read through the store.
std::string AllRecords(store::Store& store) {
  std::string bytes;
  std::vector<std::string> families = AccountsDb::FamilyNames();
  families.push_back("default");
  for (const std::string& name : families) {
    store::ColumnFamily family = store.Family(name).value();
    for (store::PrefixIterator it = store.Scan(family, {}); it.Valid(); it.Next()) {
      bytes.append(it.key());
      bytes.append(it.value());
    }
  }
  return bytes;
}

TEST_CASE("sign-up stores nothing that could decrypt the member's files", "[accounts]") {
  TestDomain domain;
  const ClientKeys keys = NewClientKeys("correct horse battery staple");
  absl::StatusOr<v1::SignUpResponse> signed_up =
      domain->flows().SignUp(SignUpRequestFor("alice@example.com", keys), "127.0.0.1", kNow);
  REQUIRE(signed_up.ok());

  const std::string records = AllRecords(domain.store());
  REQUIRE(records.find("alice@example.com") != std::string::npos);  // The scan sees data.
  const std::string files = AllFileBytes(domain.dir());
  for (const std::string* secret :
       {&keys.password, &keys.password_keys.auth_key, &keys.password_keys.key_encryption_key,
        &keys.master_key, &keys.recovery_auth_key, &keys.box.secret_key}) {
    CHECK(records.find(*secret) == std::string::npos);
    CHECK(files.find(*secret) == std::string::npos);
  }
  // What is kept is opaque: the wrapped master key is there, and it is not the key.
  CHECK(records.find(keys.envelope.wrapped_master_key()) != std::string::npos);
}

TEST_CASE("sign-up answers with an active member and working tokens", "[accounts]") {
  TestDomain domain;
  const ClientKeys keys = NewClientKeys("pw-1");
  absl::StatusOr<v1::SignUpResponse> signed_up =
      domain->flows().SignUp(SignUpRequestFor(" Alice@Example.COM ", keys), "ip", kNow);
  REQUIRE(signed_up.ok());
  CHECK(signed_up->user().email() == "alice@example.com");
  CHECK(signed_up->user().state() == v1::USER_STATE_ACTIVE);
  CHECK(signed_up->user().public_key() == keys.box.public_key);
  absl::StatusOr<v1::AccessTokenClaims> claims = auth::VerifyAccessToken(
      signed_up->tokens().access_token(), domain->signing_keys().keyring(), kNow);
  REQUIRE(claims.ok());
  CHECK(claims->user() == signed_up->user().name());
  CHECK(claims->session() == signed_up->tokens().session());
  CHECK(absl::StartsWith(signed_up->tokens().refresh_token(), "bcr_"));
}

TEST_CASE("a second sign-up with the same email is refused", "[accounts]") {
  TestDomain domain;
  REQUIRE(domain->flows()
              .SignUp(SignUpRequestFor("bob@example.com", NewClientKeys("a")), "ip", kNow)
              .ok());
  absl::StatusOr<v1::SignUpResponse> again =
      domain->flows().SignUp(SignUpRequestFor("BOB@example.com", NewClientKeys("b")), "ip", kNow);
  CHECK(again.status().code() == absl::StatusCode::kAlreadyExists);
}

TEST_CASE("sign-up retried with its request_id returns the same member and session", "[accounts]") {
  TestDomain domain;
  const ClientKeys keys = NewClientKeys("pw");
  v1::SignUpRequest request = SignUpRequestFor("carol@example.com", keys);
  request.set_request_id("signup-42");
  absl::StatusOr<v1::SignUpResponse> first = domain->flows().SignUp(request, "ip", kNow);
  REQUIRE(first.ok());
  absl::StatusOr<v1::SignUpResponse> retry = domain->flows().SignUp(request, "ip", kNow);
  REQUIRE(retry.ok());
  CHECK(retry->user().name() == first->user().name());
  CHECK(retry->tokens().session() == first->tokens().session());
  CHECK(retry->tokens().refresh_token() != first->tokens().refresh_token());
  // The retry's refresh token works.
  v1::RefreshRequest refresh;
  refresh.set_refresh_token(retry->tokens().refresh_token());
  CHECK(domain->flows().Refresh(refresh, "ip", kNow).ok());

  // The same request id with other values is a client bug, and says so.
  v1::SignUpRequest other = SignUpRequestFor("carol@example.com", NewClientKeys("pw2"));
  other.set_request_id("signup-42");
  absl::StatusOr<v1::SignUpResponse> reused = domain->flows().SignUp(other, "ip", kNow);
  CHECK(reused.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(kit::DetailsOf(reused.status()).reason() ==
        common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
}

TEST_CASE("sign-up names the field that is wrong", "[accounts]") {
  TestDomain domain;
  v1::SignUpRequest request = SignUpRequestFor("dave@example.com", NewClientKeys("pw"));
  request.mutable_password()->set_salt("short");
  absl::StatusOr<v1::SignUpResponse> bad = domain->flows().SignUp(request, "ip", kNow);
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(bad.status().message()), Catch::Contains("password.salt"));

  request = SignUpRequestFor("no-at-sign.example.com", NewClientKeys("pw"));
  bad = domain->flows().SignUp(request, "ip", kNow);
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(bad.status().message()), Catch::StartsWith("email"));

  // Client KDF parameters below the server's floor are refused.
  TestDomain strict({.auth_key_hash_params = crypto::TestKdfParams(),
                     .client_kdf_min = {.ops_limit = 3, .mem_limit_bytes = uint64_t{64} << 20}});
  bad =
      strict->flows().SignUp(SignUpRequestFor("erin@example.com", NewClientKeys("pw")), "ip", kNow);
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(bad.status().message()), Catch::Contains("password.kdf_params"));
}

TEST_CASE("pre-login answers an unknown email like a known one", "[accounts]") {
  TestDomain domain;
  const ClientKeys keys = NewClientKeys("pw");
  REQUIRE(domain->flows().SignUp(SignUpRequestFor("known@example.com", keys), "ip", kNow).ok());
  v1::PreLoginRequest known, unknown;
  known.set_email("known@example.com");
  unknown.set_email("unknown@example.com");
  absl::StatusOr<v1::PreLoginResponse> real = domain->flows().PreLogin(known);
  absl::StatusOr<v1::PreLoginResponse> fake = domain->flows().PreLogin(unknown);
  REQUIRE(real.ok());
  REQUIRE(fake.ok());
  CHECK(real->salt() == keys.envelope.salt());
  CHECK(fake->salt().size() == real->salt().size());
  CHECK(fake->salt() != real->salt());
  CHECK(fake->kdf_params().SerializeAsString() == real->kdf_params().SerializeAsString());
  // Stable: asking again (and after a restart) gives the same fake salt.
  CHECK(domain->flows().PreLogin(unknown)->salt() == fake->salt());
  domain.Reopen();
  CHECK(domain->flows().PreLogin(unknown)->salt() == fake->salt());
}

TEST_CASE("login with the right password opens a session whose bundle unwraps the master key",
          "[accounts]") {
  TestDomain domain;
  const ClientKeys keys = NewClientKeys("hunter2");
  REQUIRE(domain->flows().SignUp(SignUpRequestFor("frank@example.com", keys), "ip", kNow).ok());
  v1::PreLoginRequest pre;
  pre.set_email("frank@example.com");
  const v1::PreLoginResponse salt = domain->flows().PreLogin(pre).value();
  absl::StatusOr<v1::LoginResponse> login = domain->flows().Login(
      testing::LoginRequestFor("frank@example.com", "hunter2", salt), "10.0.0.2", kNow);
  REQUIRE(login.ok());
  CHECK(testing::UnwrapMasterKey(login->key_bundle(), "hunter2") == keys.master_key);
  CHECK(login->key_bundle().wrapped_private_key() == keys.wrapped_private_key);
  CHECK(auth::VerifyAccessToken(login->tokens().access_token(), domain->signing_keys().keyring(),
                                kNow)
            .ok());
}

TEST_CASE("wrong password and unknown email give the same answer", "[accounts]") {
  TestDomain domain;
  absl::StatusOr<v1::SignUpResponse> grace = domain->flows().SignUp(
      SignUpRequestFor("grace@example.com", NewClientKeys("right")), "ip", kNow);
  REQUIRE(grace.ok());
  v1::PreLoginRequest pre;
  pre.set_email("grace@example.com");
  const v1::PreLoginResponse salt = domain->flows().PreLogin(pre).value();
  pre.set_email("nobody@example.com");
  const v1::PreLoginResponse fake_salt = domain->flows().PreLogin(pre).value();

  absl::StatusOr<v1::LoginResponse> wrong = domain->flows().Login(
      testing::LoginRequestFor("grace@example.com", "wrong", salt), "ip", kNow);
  absl::StatusOr<v1::LoginResponse> unknown = domain->flows().Login(
      testing::LoginRequestFor("nobody@example.com", "right", fake_salt), "ip", kNow);
  CHECK(wrong.status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(unknown.status().code() == wrong.status().code());
  CHECK(unknown.status().message() == wrong.status().message());
  CHECK(wrong.status().message() == "email or password is incorrect");
  // No session was opened by either attempt.
  const std::string user_id = grace->user().name().substr(std::string("users/").size());
  CHECK(domain->sessions().List(user_id, 0, "", kNow)->sessions.size() == 1);
}

}  // namespace
}  // namespace bitcontent::accounts
