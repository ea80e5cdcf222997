#include "libs/auth/grant.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/clock_skew.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/programmer_error.h"

namespace bitcontent::auth {
namespace {

using blobs::v1::GRANT_PERMISSION_READ;
using blobs::v1::GRANT_PERMISSION_UPLOAD;

// Why `claims` are not something metadata may issue, or "" when they are.
absl::string_view ClaimsProblem(const blobs::v1::GrantClaims& claims) {
  if (!claims.has_issue_time() || !claims.has_expire_time()) {
    return "issue_time and expire_time must be set";
  }
  const absl::Duration lifetime =
      TimeFromProto(claims.expire_time()) - TimeFromProto(claims.issue_time());
  if (lifetime <= absl::ZeroDuration() || lifetime > kGrantLifetimeMax) {
    return "expire_time must be after issue_time, by at most an hour";
  }
  switch (claims.permission()) {
    case GRANT_PERMISSION_UPLOAD:
      if (claims.upload_session().empty() || claims.max_size_bytes() == 0 ||
          !claims.blob().empty()) {
        return "an UPLOAD grant names its upload session and size, and no blob";
      }
      return "";
    case GRANT_PERMISSION_READ:
      if (claims.blob().empty() || !claims.upload_session().empty()) {
        return "a READ grant names its blob, and no upload session";
      }
      return "";
    default:
      return "permission must be UPLOAD or READ";
  }
}

absl::string_view Describe(blobs::v1::GrantPermission permission) {
  return permission == GRANT_PERMISSION_UPLOAD ? "uploading" : "reading";
}

}  // namespace

std::string IssueGrant(const SigningKey& key, const blobs::v1::GrantClaims& claims) {
  if (absl::string_view problem = ClaimsProblem(claims); !problem.empty()) {
    crypto::ProgrammerError(absl::StrCat("auth::IssueGrant: ", problem));
  }
  return SignToken(common::v1::KEY_PURPOSE_CAPABILITY_GRANT, key, claims.SerializeAsString());
}

absl::StatusOr<blobs::v1::GrantClaims> VerifyGrant(absl::string_view grant,
                                                   blobs::v1::GrantPermission permission,
                                                   const KeyRing& keys, absl::Time now) {
  if (grant.empty()) {
    return absl::UnauthenticatedError(
        "no grant: metadata issues one (BeginUpload, IssueDownloadGrant); send it in the "
        "grant field, or over REST in the Bitcontent-Grant header");
  }
  absl::StatusOr<std::string> payload =
      VerifyToken(grant, common::v1::KEY_PURPOSE_CAPABILITY_GRANT, keys, now);
  if (!payload.ok()) return payload.status();
  blobs::v1::GrantClaims claims;
  if (!claims.ParseFromString(*payload) || !ClaimsProblem(claims).empty()) {
    return absl::UnauthenticatedError("malformed grant");
  }
  if (claims.permission() != permission) {
    return absl::UnauthenticatedError(
        absl::StrCat("this grant does not permit ", Describe(permission)));
  }
  if (now + kClockSkew < TimeFromProto(claims.issue_time())) {
    return absl::UnauthenticatedError("grant not yet valid");
  }
  if (now - kClockSkew >= TimeFromProto(claims.expire_time())) {
    return absl::UnauthenticatedError("grant expired");
  }
  return claims;
}

}  // namespace bitcontent::auth
