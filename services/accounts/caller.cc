#include "services/accounts/caller.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/auth/access_token.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "services/accounts/limits.h"
#include "services/accounts/resource_names.h"

namespace bitcontent::accounts {
namespace {

constexpr absl::string_view kForwardedForKey = "x-forwarded-for";

absl::Status Revoked(absl::string_view what) {
  return kit::WithReason(absl::UnauthenticatedError(absl::StrCat(what, "; log in again")),
                         common::v1::ERROR_REASON_TOKEN_REVOKED);
}

// The user id between "users/" and the next '/' of a child name.
absl::string_view UserOfChild(absl::string_view name) {
  absl::string_view rest = absl::StripPrefix(name, "users/");
  return rest.substr(0, rest.find('/'));
}

}  // namespace

absl::StatusOr<common::v1::Principal> CallerAuthenticator::Authenticate(
    const grpc::ServerContextBase& context, absl::Time now) const {
  absl::StatusOr<std::shared_ptr<const accounts::v1::AccessTokenClaims>> claims =
      verifier_.VerifyCall(context, now);
  if (!claims.ok()) return claims.status();
  return Live(**claims, now);
}

absl::StatusOr<common::v1::Principal> CallerAuthenticator::AuthenticateToken(
    absl::string_view bearer_token, absl::Time now) const {
  if (bearer_token.empty()) {
    return absl::UnauthenticatedError("this call needs a bearer access token");
  }
  absl::StatusOr<std::shared_ptr<const accounts::v1::AccessTokenClaims>> claims =
      verifier_.Verify(bearer_token, now);
  if (!claims.ok()) return claims.status();
  return Live(**claims, now);
}

absl::StatusOr<common::v1::Principal> CallerAuthenticator::Live(
    const accounts::v1::AccessTokenClaims& claims, absl::Time now) const {
  common::v1::Principal principal = auth::PrincipalFromClaims(claims);
  if (!claims.session().empty()) {
    absl::StatusOr<storage::SessionRecord> session =
        sessions_->GetLive(UserOfChild(claims.session()), kit::IdOfName(claims.session()), now);
    if (absl::IsNotFound(session.status())) return Revoked("this session was signed out");
    if (!session.ok()) return session.status();
  } else if (!claims.api_key().empty()) {
    absl::StatusOr<storage::ApiKeyRecord> key =
        api_keys_->Get(UserOfChild(claims.api_key()), kit::IdOfName(claims.api_key()));
    if (absl::IsNotFound(key.status())) return Revoked("this API key was deleted");
    if (!key.ok()) return key.status();
    if (ApiKeyView(*key, now).state() != v1::API_KEY_STATE_ACTIVE) {
      return Revoked("this API key was revoked or expired");
    }
  } else {
    return absl::UnauthenticatedError("this token names neither a session nor an API key");
  }
  return principal;
}

absl::StatusOr<Member> AuthorizeMember(common::v1::Principal principal,
                                       absl::StatusOr<std::string> user_segment, Access access) {
  if (!user_segment.ok()) return user_segment.status();
  absl::StatusOr<std::string> user_id = OwnUserId(principal, *user_segment);
  if (!user_id.ok()) return user_id.status();
  if (principal.kind() != common::v1::PRINCIPAL_KIND_SESSION) {
    absl::Status allowed = absl::OkStatus();
    switch (access) {
      case Access::kSessionOnly:
        allowed = RequireSession(principal);
        break;
      case Access::kFilesRead:
        allowed = kit::RequireScope(principal, common::v1::SCOPE_FILES_READ);
        break;
      case Access::kFilesWrite:
        allowed = kit::RequireScope(principal, common::v1::SCOPE_FILES_WRITE);
        break;
      case Access::kAnyCredential:
        break;
    }
    if (!allowed.ok()) return allowed;
  }
  return Member{.principal = std::move(principal), .user_id = std::move(*user_id)};
}

std::string UserIdOf(const common::v1::Principal& principal) {
  return std::string(kit::IdOfName(principal.user()));
}

std::string SessionIdOf(const common::v1::Principal& principal) {
  if (principal.session().empty()) return "";
  return std::string(kit::IdOfName(principal.session()));
}

absl::StatusOr<std::string> OwnUserId(const common::v1::Principal& principal,
                                      absl::string_view user_segment) {
  const std::string own = UserIdOf(principal);
  if (user_segment == kMe || user_segment == own) return own;
  return absl::PermissionDeniedError(absl::StrCat("members may act only on their own account (",
                                                  principal.user(), " or users/me), not on ",
                                                  UserName(user_segment)));
}

absl::Status RequireSession(const common::v1::Principal& principal) {
  if (principal.kind() == common::v1::PRINCIPAL_KIND_SESSION) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "API keys cannot manage the account (sessions, API keys, password); use a login session");
}

absl::Status RequireOperator(const common::v1::Principal& principal) {
  if (principal.kind() == common::v1::PRINCIPAL_KIND_SESSION && principal.operator_()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "the admin API needs a session of a member with the "
      "operator role (see --operator_emails)");
}

std::string ClientIp(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto found = metadata.find(grpc::string_ref(kForwardedForKey.data(), kForwardedForKey.size()));
  std::string ip;
  if (found != metadata.end()) {
    const absl::string_view value(found->second.data(), found->second.size());
    ip = std::string(absl::StripAsciiWhitespace(value.substr(0, value.find(','))));
  } else {
    // gRPC names peers "ipv4:10.0.0.7:5678" or "ipv6:[::1]:5678"; keep the address.
    const std::string peer_name = context.peer();
    absl::string_view peer = peer_name;
    if (absl::ConsumePrefix(&peer, "ipv4:")) {
      peer = peer.substr(0, peer.rfind(':'));
    } else if (absl::ConsumePrefix(&peer, "ipv6:[")) {
      peer = peer.substr(0, peer.find(']'));
    }
    ip = std::string(peer);
  }
  return ip.substr(0, kIpLengthMax);
}

}  // namespace bitcontent::accounts
