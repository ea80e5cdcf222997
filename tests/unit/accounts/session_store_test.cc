// Sessions and refresh-token families: rotation on every refresh, reuse detection that
// signs the whole session out, listing, revocation and expiry, on a real RocksDB.
#include <catch2/catch.hpp>

#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "tests/unit/accounts/client_keys.h"
#include "tests/unit/accounts/test_domain.h"

namespace bitcontent::accounts {
namespace {

using testing::TestDomain;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

// A member signed up at kNow; returns the sign-up answer.
v1::SignUpResponse SignUp(TestDomain& domain, absl::string_view email) {
  absl::StatusOr<v1::SignUpResponse> response = domain->flows().SignUp(
      testing::SignUpRequestFor(email, testing::NewClientKeys("pw")), "ip", kNow);
  REQUIRE(response.ok());
  return *response;
}

absl::StatusOr<v1::RefreshResponse> Refresh(TestDomain& domain, const std::string& token,
                                            absl::Time now = kNow) {
  v1::RefreshRequest request;
  request.set_refresh_token(token);
  return domain->flows().Refresh(request, "10.1.1.1", now);
}

bool HasOutboxEntry(TestDomain& domain, absl::string_view kind, absl::string_view id) {
  const std::vector<PendingRevocation> entries = domain->outbox().Oldest(1000).value();
  for (const PendingRevocation& entry : entries) {
    if (entry.kind == kind && entry.id == id) return true;
  }
  return false;
}

TEST_CASE("refresh hands out a new refresh token and keeps the session", "[accounts]") {
  TestDomain domain;
  const v1::SignUpResponse member = SignUp(domain, "a@example.com");
  absl::StatusOr<v1::RefreshResponse> first =
      Refresh(domain, member.tokens().refresh_token(), kNow + absl::Minutes(10));
  REQUIRE(first.ok());
  CHECK(first->tokens().session() == member.tokens().session());
  CHECK(first->tokens().refresh_token() != member.tokens().refresh_token());
  CHECK(first->tokens().access_token() != member.tokens().access_token());
  absl::StatusOr<v1::RefreshResponse> second =
      Refresh(domain, first->tokens().refresh_token(), kNow + absl::Minutes(20));
  REQUIRE(second.ok());
  const std::string user_id(kit::IdOfName(member.user().name()));
  absl::StatusOr<storage::SessionRecord> session =
      domain->sessions().GetLive(user_id, kit::IdOfName(member.tokens().session()), kNow);
  REQUIRE(session.ok());
  CHECK(session->last_ip() == "10.1.1.1");
}

TEST_CASE("reusing a spent refresh token signs the whole session out", "[accounts]") {
  TestDomain domain;
  const v1::SignUpResponse member = SignUp(domain, "b@example.com");
  const std::string stolen = member.tokens().refresh_token();
  absl::StatusOr<v1::RefreshResponse> legit = Refresh(domain, stolen);
  REQUIRE(legit.ok());

  // The copy is presented after the legitimate client rotated it.
  absl::StatusOr<v1::RefreshResponse> replay = Refresh(domain, stolen);
  CHECK(replay.status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(kit::DetailsOf(replay.status()).reason() == common::v1::ERROR_REASON_TOKEN_REVOKED);
  // The whole family is gone: the legitimate client's newest token fails too.
  CHECK(Refresh(domain, legit->tokens().refresh_token()).status().code() ==
        absl::StatusCode::kUnauthenticated);
  const std::string session_id(kit::IdOfName(member.tokens().session()));
  CHECK(absl::IsNotFound(
      domain->sessions().GetLive(kit::IdOfName(member.user().name()), session_id, kNow).status()));
  // And the gateway will hear of it through Redis.
  CHECK(HasOutboxEntry(domain, kRevokedSession, session_id));
}

TEST_CASE("a refresh token with a wrong secret is refused without revoking anything",
          "[accounts]") {
  TestDomain domain;
  const v1::SignUpResponse member = SignUp(domain, "c@example.com");
  std::string forged = member.tokens().refresh_token();
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  CHECK(Refresh(domain, forged).status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(Refresh(domain, "bcr_not-a-token").status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(Refresh(domain, member.tokens().refresh_token()).ok());
}

TEST_CASE("a session not refreshed within its lifetime expires", "[accounts]") {
  TestDomain domain;
  const v1::SignUpResponse member = SignUp(domain, "d@example.com");
  const absl::Time later = kNow + absl::Hours(24 * 31);
  absl::StatusOr<v1::RefreshResponse> late =
      Refresh(domain, member.tokens().refresh_token(), later);
  CHECK(late.status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(kit::DetailsOf(late.status()).reason() == common::v1::ERROR_REASON_TOKEN_EXPIRED);
  CHECK(
      domain->sessions().List(kit::IdOfName(member.user().name()), 0, "", later)->sessions.empty());
}

TEST_CASE("sessions are listed in pages and revoked one by one", "[accounts]") {
  TestDomain domain;
  const v1::SignUpResponse member = SignUp(domain, "e@example.com");
  const std::string user_id(kit::IdOfName(member.user().name()));
  for (int i = 0; i < 4; ++i) {
    store::WriteBatch batch;
    REQUIRE(domain->sessions()
                .StageOpen(&batch, user_id, testing::Device(absl::StrCat("d", i)), "ip", kNow)
                .ok());
    REQUIRE(domain.store().Write(&batch, {.sync = true}).ok());
  }
  absl::StatusOr<SessionPage> first = domain->sessions().List(user_id, 3, "", kNow);
  REQUIRE(first.ok());
  CHECK(first->sessions.size() == 3);
  REQUIRE_FALSE(first->next_page_token.empty());
  absl::StatusOr<SessionPage> second =
      domain->sessions().List(user_id, 3, first->next_page_token, kNow);
  REQUIRE(second.ok());
  CHECK(second->sessions.size() == 2);
  CHECK(second->next_page_token.empty());

  const std::string victim = first->sessions[1].session_id();
  REQUIRE(domain->sessions().Revoke(user_id, victim, kNow).ok());
  CHECK(domain->sessions().List(user_id, 100, "", kNow)->sessions.size() == 4);
  CHECK(absl::IsNotFound(domain->sessions().Revoke(user_id, victim, kNow).status()));
  CHECK(HasOutboxEntry(domain, kRevokedSession, victim));
  CHECK(domain->sessions().List(user_id, -1, "", kNow).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("opening one session too many signs out the least recently active", "[accounts]") {
  TestDomain domain;
  const v1::SignUpResponse member = SignUp(domain, "f@example.com");
  const std::string user_id(kit::IdOfName(member.user().name()));
  const std::string oldest(kit::IdOfName(member.tokens().session()));
  for (size_t i = 1; i < kSessionsPerUserMax; ++i) {
    store::WriteBatch batch;
    REQUIRE(domain->sessions()
                .StageOpen(&batch, user_id, testing::Device("x"), "ip", kNow + absl::Seconds(i))
                .ok());
    REQUIRE(domain.store().Write(&batch, {.sync = true}).ok());
  }
  CHECK(domain->sessions().GetLive(user_id, oldest, kNow).ok());
  store::WriteBatch batch;
  REQUIRE(domain->sessions()
              .StageOpen(&batch, user_id, testing::Device("new"), "ip", kNow + absl::Hours(1))
              .ok());
  REQUIRE(domain.store().Write(&batch, {.sync = true}).ok());
  CHECK(absl::IsNotFound(domain->sessions().GetLive(user_id, oldest, kNow).status()));
  CHECK(domain->sessions().List(user_id, 100, "", kNow)->sessions.size() == kSessionsPerUserMax);
}

}  // namespace
}  // namespace bitcontent::accounts
