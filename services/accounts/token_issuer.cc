#include "services/accounts/token_issuer.h"

#include <algorithm>

#include "libs/auth/access_token.h"
#include "libs/auth/proto_time.h"
#include "libs/auth/scopes.h"
#include "libs/crypto/random.h"
#include "services/accounts/limits.h"
#include "services/accounts/resource_names.h"

namespace bitcontent::accounts {
namespace {

constexpr size_t kTokenIdBytes = 16;

accounts::v1::AccessTokenClaims BaseClaims(absl::string_view user_id, absl::Time now,
                                           absl::Time expire) {
  accounts::v1::AccessTokenClaims claims;
  claims.set_token_id(crypto::RandomBytes(kTokenIdBytes));
  claims.set_user(UserName(user_id));
  *claims.mutable_issue_time() = auth::ProtoFromTime(now);
  *claims.mutable_expire_time() = auth::ProtoFromTime(expire);
  return claims;
}

}  // namespace

IssuedAccessToken TokenIssuer::ForSession(const storage::UserRecord& user,
                                          const storage::SessionRecord& session,
                                          absl::Time now) const {
  const absl::Time expire = now + access_token_ttl_;
  accounts::v1::AccessTokenClaims claims = BaseClaims(session.user_id(), now, expire);
  claims.set_session(SessionName(session.user_id(), session.session_id()));
  for (common::v1::Scope scope : auth::AllMemberScopes()) claims.add_scopes(scope);
  claims.set_operator_(user.user().operator_());
  claims.set_device_id(session.device().device_id());
  return {.token = auth::IssueAccessToken(*key_, claims), .expire_time = expire};
}

IssuedAccessToken TokenIssuer::ForApiKey(const storage::ApiKeyRecord& key, absl::Time now) const {
  absl::Time expire = now + std::min(access_token_ttl_, kApiKeyAccessTokenLifetimeMax);
  if (key.api_key().has_expire_time()) {
    expire = std::min(expire, auth::TimeFromProto(key.api_key().expire_time()));
  }
  accounts::v1::AccessTokenClaims claims = BaseClaims(key.user_id(), now, expire);
  claims.set_api_key(ApiKeyName(key.user_id(), key.api_key_id()));
  for (int scope : key.api_key().scopes()) {
    claims.add_scopes(static_cast<common::v1::Scope>(scope));
  }
  return {.token = auth::IssueAccessToken(*key_, claims), .expire_time = expire};
}

v1::AuthTokens TokenIssuer::AuthTokensFor(const storage::UserRecord& user,
                                          const IssuedSession& issued, absl::Time now) const {
  const IssuedAccessToken access = ForSession(user, issued.session, now);
  v1::AuthTokens tokens;
  tokens.set_access_token(access.token);
  *tokens.mutable_access_token_expire_time() = auth::ProtoFromTime(access.expire_time);
  tokens.set_refresh_token(issued.refresh_token);
  *tokens.mutable_refresh_token_expire_time() = issued.session.expire_time();
  tokens.set_session(SessionName(issued.session.user_id(), issued.session.session_id()));
  return tokens;
}

}  // namespace bitcontent::accounts
