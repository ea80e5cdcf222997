#include "services/gateway/authenticator.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "libs/auth/access_token.h"
#include "libs/auth/bearer.h"
#include "libs/auth/opaque_token.h"
#include "libs/auth/proto_time.h"
#include "libs/auth/revocation_keys.h"
#include "libs/crypto/hash.h"
#include "libs/kit/resource_names.h"
#include "libs/kit/status.h"
#include "services/gateway/backend_call.h"

namespace bitcontent::gateway {
namespace {

// Per-principal rate-limit keys.
constexpr absl::string_view kUserLimitPrefix = "bc:rl:user:";
constexpr absl::string_view kApiKeyLimitPrefix = "bc:rl:api_key:";

// The revocation and rate-limit keys of a principal.
void FillKeys(Caller& caller) {
  const common::v1::Principal& principal = caller.principal;
  if (!principal.api_key().empty()) {
    const absl::string_view id = kit::IdOfName(principal.api_key());
    caller.revocation_key = auth::RevocationKey(auth::kRevokedApiKey, id);
    caller.rate_limit_key = absl::StrCat(kApiKeyLimitPrefix, id);
  } else {
    caller.revocation_key =
        auth::RevocationKey(auth::kRevokedSession, kit::IdOfName(principal.session()));
    caller.rate_limit_key = absl::StrCat(kUserLimitPrefix, kit::IdOfName(principal.user()));
  }
}

}  // namespace

Authenticator::Authenticator(const auth::KeyRing* keys, kit::KeyRefresher* refresher,
                             std::shared_ptr<grpc::Channel> accounts)
    : keys_(keys), refresher_(refresher), accounts_(std::move(accounts)) {}

absl::StatusOr<std::shared_ptr<const Caller>> Authenticator::Authenticate(
    absl::string_view authorization, absl::string_view request_id, absl::Time now) {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "missing bearer token: send Authorization: Bearer <access token or API key>");
  }
  absl::StatusOr<absl::string_view> token = auth::ParseBearerToken(authorization);
  if (!token.ok()) return token.status();
  if (absl::StartsWith(*token, absl::StrCat(auth::kApiKeyPrefix, "_"))) {
    return FromApiKey(*token, request_id, now);
  }
  if (absl::StartsWith(*token, absl::StrCat(auth::kRefreshTokenPrefix, "_"))) {
    return absl::UnauthenticatedError(
        "a refresh token is not an access token: exchange it at POST /v1/accounts:refresh");
  }
  return FromAccessToken(*token, now);
}

absl::StatusOr<std::shared_ptr<const Caller>> Authenticator::FromAccessToken(
    absl::string_view token, absl::Time now) {
  const std::string key(token);
  if (std::shared_ptr<const Caller> cached = cache_.Find(key, now)) return cached;

  absl::StatusOr<accounts::v1::AccessTokenClaims> claims =
      auth::VerifyAccessToken(token, *keys_, now);
  if (!claims.ok()) {
    if (refresher_ != nullptr && claims.status().message() == "unknown signing key") {
      refresher_->RequestRefresh();
    }
    return claims.status();
  }
  auto caller = std::make_shared<Caller>();
  caller->principal = auth::PrincipalFromClaims(*claims);
  caller->access_token = key;
  caller->expire_time = auth::TimeFromProto(claims->expire_time());
  FillKeys(*caller);
  cache_.Insert(key, caller, caller->expire_time, now);
  return caller;
}

absl::StatusOr<std::shared_ptr<const Caller>> Authenticator::FromApiKey(
    absl::string_view secret, absl::string_view request_id, absl::Time now) {
  // Keyed by a hash, so the cache never holds API key secrets.
  const std::string key = crypto::Blake2b256(secret);
  if (std::shared_ptr<const Caller> cached = cache_.Find(key, now)) return cached;
  if (accounts_ == nullptr) return absl::UnavailableError("accounts is not configured");

  auto stub = accounts::v1::AccountsInternalService::NewStub(accounts_);
  auto context = NewBackendContext(kApiKeyExchangeTimeout, request_id, /*bearer_token=*/"",
                                   /*client_ip=*/"");
  accounts::v1::AuthenticateApiKeyRequest request;
  request.set_secret(std::string(secret));
  accounts::v1::AuthenticateApiKeyResponse response;
  const grpc::Status status = stub->AuthenticateApiKey(context.get(), request, &response);
  if (!status.ok()) return kit::FromGrpc(status);
  if (response.principal().api_key().empty() || response.access_token().empty()) {
    return absl::InternalError("accounts answered an API key exchange without a key or token");
  }
  auto caller = std::make_shared<Caller>();
  caller->principal = response.principal();
  caller->access_token = response.access_token();
  caller->expire_time =
      auth::TimeFromProto(response.access_token_expire_time()) - kApiKeyTokenMargin;
  FillKeys(*caller);
  cache_.Insert(key, caller, caller->expire_time, now);
  return caller;
}

}  // namespace bitcontent::gateway
