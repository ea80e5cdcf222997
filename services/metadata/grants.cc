#include "services/metadata/grants.h"

#include <utility>

#include "libs/auth/grant.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/random.h"

namespace bitcontent::metadata {

std::string SignGrant(const auth::SigningKey& key, blobs::v1::GrantClaims claims,
                      absl::string_view subject, absl::Time now, absl::Time expire) {
  claims.set_grant_id(crypto::RandomBytes(16));
  claims.set_subject(std::string(subject));
  *claims.mutable_issue_time() = auth::ProtoFromTime(now);
  *claims.mutable_expire_time() = auth::ProtoFromTime(expire);
  return auth::IssueGrant(key, claims);
}

v1::DownloadGrant DownloadGrantFor(const auth::SigningKey& key, v1::Version version,
                                   absl::string_view subject, absl::Time now) {
  const absl::Time expire = now + kGrantLifetime;
  blobs::v1::GrantClaims claims;
  claims.set_permission(blobs::v1::GRANT_PERMISSION_READ);
  claims.set_blob(version.blob());
  v1::DownloadGrant grant;
  grant.set_grant(SignGrant(key, std::move(claims), subject, now, expire));
  grant.set_blob(version.blob());
  *grant.mutable_version() = std::move(version);
  *grant.mutable_expire_time() = auth::ProtoFromTime(expire);
  return grant;
}

}  // namespace bitcontent::metadata
