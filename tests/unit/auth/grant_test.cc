// Capability grants: what metadata may issue, and what blobs accepts.
#include "libs/auth/grant.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/auth/proto_time.h"
#include "libs/crypto/random.h"
#include "tests/unit/auth/token_test_keys.h"
#include "tests/unit/crypto/expect_abort.h"

namespace bitcontent::auth {
namespace {

using blobs::v1::GRANT_PERMISSION_READ;
using blobs::v1::GRANT_PERMISSION_UPLOAD;
using crypto::testing::RequireAbortMentioning;
using testing::TestNow;
using testing::TestPublicKey;
using testing::TestSigningKey;

struct Fixture {
  SigningKey key = TestSigningKey("md-1", 2);
  KeyRing ring;

  Fixture() {
    REQUIRE(ring.Add(TestPublicKey(key, common::v1::KEY_PURPOSE_CAPABILITY_GRANT)).ok());
  }
};

blobs::v1::GrantClaims UploadClaims() {
  blobs::v1::GrantClaims claims;
  claims.set_grant_id(crypto::RandomBytes(16));
  claims.set_permission(GRANT_PERMISSION_UPLOAD);
  claims.set_upload_session("uploadSessions/01HZY3K9000000000000000000");
  claims.set_max_size_bytes(5 << 20);
  claims.set_subject("users/01HZY3K8W9J6V0M4T2Q5R7S8XA");
  *claims.mutable_issue_time() = ProtoFromTime(TestNow());
  *claims.mutable_expire_time() = ProtoFromTime(TestNow() + absl::Minutes(30));
  return claims;
}

blobs::v1::GrantClaims ReadClaims() {
  blobs::v1::GrantClaims claims = UploadClaims();
  claims.set_permission(GRANT_PERMISSION_READ);
  claims.clear_upload_session();
  claims.clear_max_size_bytes();
  claims.set_blob("blobs/01HZY3KA000000000000000000");
  return claims;
}

void RequireRefused(const absl::StatusOr<blobs::v1::GrantClaims>& verified,
                    absl::string_view message) {
  INFO(verified.status().ToString());
  REQUIRE(verified.status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(verified.status().message() == message);
}

TEST_CASE("grant round trip gives blobs the claims metadata signed", "[auth][grant]") {
  Fixture fixture;
  const blobs::v1::GrantClaims claims = UploadClaims();
  const std::string grant = IssueGrant(fixture.key, claims);
  absl::StatusOr<blobs::v1::GrantClaims> verified =
      VerifyGrant(grant, GRANT_PERMISSION_UPLOAD, fixture.ring, TestNow() + absl::Minutes(29));
  REQUIRE(verified.ok());
  CHECK(verified->upload_session() == claims.upload_session());
  CHECK(verified->max_size_bytes() == claims.max_size_bytes());
  CHECK(VerifyGrant(IssueGrant(fixture.key, ReadClaims()), GRANT_PERMISSION_READ, fixture.ring,
                    TestNow())
            ->blob() == "blobs/01HZY3KA000000000000000000");
}

TEST_CASE("grant for one permission, expired or forged is refused", "[auth][grant]") {
  Fixture fixture;
  const std::string upload = IssueGrant(fixture.key, UploadClaims());
  RequireRefused(VerifyGrant(upload, GRANT_PERMISSION_READ, fixture.ring, TestNow()),
                 "this grant does not permit reading");
  RequireRefused(VerifyGrant(IssueGrant(fixture.key, ReadClaims()), GRANT_PERMISSION_UPLOAD,
                             fixture.ring, TestNow()),
                 "this grant does not permit uploading");
  RequireRefused(
      VerifyGrant(upload, GRANT_PERMISSION_UPLOAD, fixture.ring, TestNow() + absl::Minutes(31)),
      "grant expired");
  RequireRefused(
      VerifyGrant(upload, GRANT_PERMISSION_UPLOAD, fixture.ring, TestNow() - absl::Minutes(5)),
      "grant not yet valid");
  // Signed by a key blobs does not know (say, another deployment's metadata).
  const SigningKey stranger = TestSigningKey("md-9", 9);
  RequireRefused(VerifyGrant(IssueGrant(stranger, UploadClaims()), GRANT_PERMISSION_UPLOAD,
                             fixture.ring, TestNow()),
                 "unknown signing key");
  // An access token is not a grant, even from a key of the same id.
  KeyRing access_ring;
  REQUIRE(access_ring.Add(TestPublicKey(fixture.key, common::v1::KEY_PURPOSE_ACCESS_TOKEN)).ok());
  CHECK(VerifyGrant(upload, GRANT_PERMISSION_UPLOAD, access_ring, TestNow()).status().code() ==
        absl::StatusCode::kUnauthenticated);
}

TEST_CASE("grant issuing aborts on claims metadata must never sign", "[auth][grant]") {
  Fixture fixture;
  blobs::v1::GrantClaims no_session = UploadClaims();
  no_session.clear_upload_session();
  RequireAbortMentioning([&] { IssueGrant(fixture.key, no_session); }, "upload session");
  blobs::v1::GrantClaims too_long = ReadClaims();
  *too_long.mutable_expire_time() = ProtoFromTime(TestNow() + absl::Hours(2));
  RequireAbortMentioning([&] { IssueGrant(fixture.key, too_long); }, "at most an hour");
}

}  // namespace
}  // namespace bitcontent::auth
