// Password change and recovery: the new envelope re-wraps the same master key, the old
// password stops working, and sessions are revoked as the contract says (every other
// one on a change, all of them on a recovery).
#include <catch2/catch.hpp>

#include "tests/unit/accounts/client_keys.h"
#include "tests/unit/accounts/test_domain.h"

namespace bitcontent::accounts {
namespace {

using testing::ClientKeys;
using testing::TestDomain;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

absl::StatusOr<v1::LoginResponse> Login(TestDomain& domain, absl::string_view email,
                                        absl::string_view password, absl::string_view device) {
  v1::PreLoginRequest pre;
  pre.set_email(std::string(email));
  const v1::PreLoginResponse salt = domain->flows().PreLogin(pre).value();
  return domain->flows().Login(testing::LoginRequestFor(email, password, salt, device), "ip", kNow);
}

absl::StatusOr<v1::RefreshResponse> Refresh(TestDomain& domain, const std::string& token) {
  v1::RefreshRequest request;
  request.set_refresh_token(token);
  return domain->flows().Refresh(request, "ip", kNow);
}

v1::ChangePasswordRequest ChangeRequest(const ClientKeys& from, const ClientKeys& to) {
  v1::ChangePasswordRequest request;
  request.set_current_auth_key(from.password_keys.auth_key);
  *request.mutable_new_password() = to.envelope;
  return request;
}

TEST_CASE("a password change revokes every other session but not the current one", "[accounts]") {
  TestDomain domain;
  const ClientKeys keys = testing::NewClientKeys("old password");
  const v1::SignUpResponse laptop =
      domain->flows()
          .SignUp(testing::SignUpRequestFor("ann@example.com", keys, "laptop"), "ip", kNow)
          .value();
  absl::StatusOr<v1::LoginResponse> phone =
      Login(domain, "ann@example.com", "old password", "phone");
  REQUIRE(phone.ok());
  const std::string user_id(kit::IdOfName(laptop.user().name()));
  const std::string laptop_session(kit::IdOfName(laptop.tokens().session()));

  const ClientKeys changed = testing::Rewrapped(keys, "new password");
  absl::StatusOr<v1::ChangePasswordResponse> response = domain->flows().ChangePassword(
      user_id, laptop_session, ChangeRequest(keys, changed), "ip", kNow);
  REQUIRE(response.ok());
  CHECK(response->tokens().session() == laptop.tokens().session());

  // The phone is signed out; the laptop carries on with its fresh tokens.
  CHECK(Refresh(domain, phone->tokens().refresh_token()).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(absl::IsNotFound(domain->sessions()
                             .GetLive(user_id, kit::IdOfName(phone->tokens().session()), kNow)
                             .status()));
  CHECK(domain->sessions().GetLive(user_id, laptop_session, kNow).ok());
  CHECK(Refresh(domain, response->tokens().refresh_token()).ok());

  // Only the new password logs in, and it unwraps the same master key.
  CHECK(Login(domain, "ann@example.com", "old password", "tablet").status().code() ==
        absl::StatusCode::kUnauthenticated);
  absl::StatusOr<v1::LoginResponse> again =
      Login(domain, "ann@example.com", "new password", "tablet");
  REQUIRE(again.ok());
  CHECK(testing::UnwrapMasterKey(again->key_bundle(), "new password") == keys.master_key);
  CHECK(again->key_bundle().wrapped_private_key() == keys.wrapped_private_key);
}

TEST_CASE("a password change with the wrong current password changes nothing", "[accounts]") {
  TestDomain domain;
  const ClientKeys keys = testing::NewClientKeys("right");
  const v1::SignUpResponse member =
      domain->flows()
          .SignUp(testing::SignUpRequestFor("ben@example.com", keys), "ip", kNow)
          .value();
  const ClientKeys wrong = testing::Rewrapped(keys, "guess");
  absl::StatusOr<v1::ChangePasswordResponse> refused = domain->flows().ChangePassword(
      kit::IdOfName(member.user().name()), kit::IdOfName(member.tokens().session()),
      ChangeRequest(wrong, testing::Rewrapped(keys, "new")), "ip", kNow);
  CHECK(refused.status().code() == absl::StatusCode::kPermissionDenied);
  CHECK(Login(domain, "ben@example.com", "right", "x").ok());
}

TEST_CASE("a password change retried with its request_id renews tokens once more", "[accounts]") {
  TestDomain domain;
  const ClientKeys keys = testing::NewClientKeys("one");
  const v1::SignUpResponse member =
      domain->flows()
          .SignUp(testing::SignUpRequestFor("cat@example.com", keys), "ip", kNow)
          .value();
  v1::ChangePasswordRequest request = ChangeRequest(keys, testing::Rewrapped(keys, "two"));
  request.set_request_id("change-1");
  const std::string user_id(kit::IdOfName(member.user().name()));
  const std::string session_id(kit::IdOfName(member.tokens().session()));
  REQUIRE(domain->flows().ChangePassword(user_id, session_id, request, "ip", kNow).ok());
  // The answer was lost; the client sends the very same request again.
  absl::StatusOr<v1::ChangePasswordResponse> retry =
      domain->flows().ChangePassword(user_id, session_id, request, "ip", kNow);
  REQUIRE(retry.ok());
  CHECK(Refresh(domain, retry->tokens().refresh_token()).ok());
  CHECK(Login(domain, "cat@example.com", "two", "x").ok());
}

TEST_CASE("recovery with the recovery key sets a new password and signs out everywhere",
          "[accounts]") {
  TestDomain domain;
  const ClientKeys keys = testing::NewClientKeys("forgotten");
  const v1::SignUpResponse member =
      domain->flows()
          .SignUp(testing::SignUpRequestFor("dan@example.com", keys), "ip", kNow)
          .value();
  const ClientKeys recovered = testing::Rewrapped(keys, "remembered");
  v1::RecoverAccountRequest request;
  request.set_email("dan@example.com");
  request.set_recovery_auth_key(keys.recovery_auth_key);
  *request.mutable_new_password() = recovered.envelope;
  *request.mutable_device() = testing::Device("new phone");
  absl::StatusOr<v1::RecoverAccountResponse> response =
      domain->flows().Recover(request, "ip", kNow);
  INFO(response.status().ToString());
  REQUIRE(response.ok());
  CHECK(response->tokens().session() != member.tokens().session());
  CHECK(testing::UnwrapMasterKey(response->key_bundle(), "remembered") == keys.master_key);
  CHECK(Refresh(domain, member.tokens().refresh_token()).status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(
      domain->sessions().List(kit::IdOfName(member.user().name()), 0, "", kNow)->sessions.size() ==
      1);
  CHECK(Login(domain, "dan@example.com", "forgotten", "x").status().code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(Login(domain, "dan@example.com", "remembered", "x").ok());
}

TEST_CASE("recovery with a wrong key or an unknown email gives the same answer", "[accounts]") {
  TestDomain domain;
  const ClientKeys keys = testing::NewClientKeys("pw");
  REQUIRE(
      domain->flows().SignUp(testing::SignUpRequestFor("eve@example.com", keys), "ip", kNow).ok());
  v1::RecoverAccountRequest request;
  request.set_email("eve@example.com");
  request.set_recovery_auth_key(testing::NewClientKeys("other").recovery_auth_key);
  *request.mutable_new_password() = testing::Rewrapped(keys, "new").envelope;
  absl::StatusOr<v1::RecoverAccountResponse> wrong = domain->flows().Recover(request, "ip", kNow);
  request.set_email("nobody@example.com");
  absl::StatusOr<v1::RecoverAccountResponse> unknown = domain->flows().Recover(request, "ip", kNow);
  CHECK(wrong.status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(unknown.status().code() == wrong.status().code());
  CHECK(unknown.status().message() == wrong.status().message());
  CHECK(Login(domain, "eve@example.com", "pw", "x").ok());
}

}  // namespace
}  // namespace bitcontent::accounts
