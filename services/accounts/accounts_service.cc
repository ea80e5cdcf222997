#include "services/accounts/accounts_service.h"

#include "absl/strings/str_cat.h"
#include "libs/kit/reply.h"
#include "services/accounts/email.h"
#include "services/accounts/resource_names.h"

namespace bitcontent::accounts {

absl::StatusOr<Member> AccountsService::Authorize(const grpc::ServerContextBase& context,
                                                  absl::StatusOr<std::string> user_segment,
                                                  Access access, absl::Time now) const {
  absl::StatusOr<common::v1::Principal> principal = callers_->Authenticate(context, now);
  if (!principal.ok()) return principal.status();
  return AuthorizeMember(*std::move(principal), std::move(user_segment), access);
}

grpc::Status AccountsService::SignUp(grpc::ServerContext* context, const v1::SignUpRequest* request,
                                     v1::SignUpResponse* response) {
  return kit::Reply(context, domain_->flows().SignUp(*request, ClientIp(*context), absl::Now()),
                    response);
}

grpc::Status AccountsService::PreLogin(grpc::ServerContext* context,
                                       const v1::PreLoginRequest* request,
                                       v1::PreLoginResponse* response) {
  return kit::Reply(context, domain_->flows().PreLogin(*request), response);
}

grpc::Status AccountsService::Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                                    v1::LoginResponse* response) {
  return kit::Reply(context, domain_->flows().Login(*request, ClientIp(*context), absl::Now()),
                    response);
}

grpc::Status AccountsService::Refresh(grpc::ServerContext* context,
                                      const v1::RefreshRequest* request,
                                      v1::RefreshResponse* response) {
  return kit::Reply(context, domain_->flows().Refresh(*request, ClientIp(*context), absl::Now()),
                    response);
}

grpc::Status AccountsService::Logout(grpc::ServerContext* context, const v1::LogoutRequest*,
                                     v1::LogoutResponse*) {
  const absl::Time now = absl::Now();
  absl::StatusOr<Member> member = Authorize(*context, std::string(kMe), Access::kSessionOnly, now);
  if (!member.ok()) return kit::Reply(context, member.status());
  return kit::Reply(context,
                    domain_->flows().Logout(member->user_id, SessionIdOf(member->principal), now));
}

absl::StatusOr<v1::User> GetUserAs(AccountsDomain& domain,
                                   absl::StatusOr<common::v1::Principal> caller,
                                   const v1::GetUserRequest& request) {
  if (!caller.ok()) return caller.status();
  absl::StatusOr<Member> member = AuthorizeMember(
      *std::move(caller), ParseUserName(request.name(), "name"), Access::kAnyCredential);
  if (!member.ok()) return member.status();
  absl::StatusOr<storage::UserRecord> user = domain.users().Get(member->user_id);
  if (!user.ok()) return user.status();
  return user->user();
}

grpc::ServerUnaryReactor* AccountsService::GetUser(grpc::CallbackServerContext* context,
                                                   const v1::GetUserRequest* request,
                                                   v1::User* response) {
  absl::StatusOr<v1::User> user =
      GetUserAs(*domain_, callers_->Authenticate(*context, absl::Now()), *request);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(kit::Reply(context, std::move(user), response));
  return reactor;
}

grpc::Status AccountsService::GetKeyBundle(grpc::ServerContext* context,
                                           const v1::GetKeyBundleRequest* request,
                                           v1::KeyBundle* response) {
  absl::StatusOr<Member> member =
      Authorize(*context, ParseUserName(request->name(), "name"), Access::kFilesRead, absl::Now());
  if (!member.ok()) return kit::Reply(context, member.status());
  return kit::Reply(context, domain_->flows().KeyBundle(member->user_id), response);
}

grpc::Status AccountsService::LookupUserPublicKey(grpc::ServerContext* context,
                                                  const v1::LookupUserPublicKeyRequest* request,
                                                  v1::LookupUserPublicKeyResponse* response) {
  absl::StatusOr<Member> member =
      Authorize(*context, std::string(kMe), Access::kFilesWrite, absl::Now());
  if (!member.ok()) return kit::Reply(context, member.status());
  absl::StatusOr<std::string> email = NormalizeEmail(request->email());
  if (!email.ok()) return kit::Reply(context, email.status());
  absl::StatusOr<std::optional<storage::UserRecord>> found = domain_->users().FindByEmail(*email);
  if (!found.ok()) return kit::Reply(context, found.status());
  if (!found->has_value() || (*found)->user().state() != v1::USER_STATE_ACTIVE) {
    return kit::Reply(context, absl::NotFoundError("no active member has this email"));
  }
  response->set_user((*found)->user().name());
  response->set_public_key((*found)->user().public_key());
  return grpc::Status::OK;
}

grpc::Status AccountsService::ChangePassword(grpc::ServerContext* context,
                                             const v1::ChangePasswordRequest* request,
                                             v1::ChangePasswordResponse* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<Member> member = Authorize(*context, std::string(kMe), Access::kSessionOnly, now);
  if (!member.ok()) return kit::Reply(context, member.status());
  return kit::Reply(context,
                    domain_->flows().ChangePassword(member->user_id, SessionIdOf(member->principal),
                                                    *request, ClientIp(*context), now),
                    response);
}

grpc::Status AccountsService::RecoverAccount(grpc::ServerContext* context,
                                             const v1::RecoverAccountRequest* request,
                                             v1::RecoverAccountResponse* response) {
  return kit::Reply(context, domain_->flows().Recover(*request, ClientIp(*context), absl::Now()),
                    response);
}

grpc::Status AccountsService::ClaimLegacyAccount(grpc::ServerContext* context,
                                                 const v1::ClaimLegacyAccountRequest* request,
                                                 v1::ClaimLegacyAccountResponse* response) {
  return kit::Reply(context, domain_->flows().Claim(*request, ClientIp(*context), absl::Now()),
                    response);
}

grpc::Status AccountsService::ListSessions(grpc::ServerContext* context,
                                           const v1::ListSessionsRequest* request,
                                           v1::ListSessionsResponse* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<Member> member =
      Authorize(*context, ParseUserName(request->parent(), "parent"), Access::kSessionOnly, now);
  if (!member.ok()) return kit::Reply(context, member.status());
  absl::StatusOr<SessionPage> page =
      domain_->sessions().List(member->user_id, request->page_size(), request->page_token(), now);
  if (!page.ok()) return kit::Reply(context, page.status());
  const std::string current = SessionIdOf(member->principal);
  for (const storage::SessionRecord& record : page->sessions) {
    v1::Session* session = response->add_sessions();
    *session = ToSession(record);
    session->set_current(record.session_id() == current);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status AccountsService::RevokeSession(grpc::ServerContext* context,
                                            const v1::RevokeSessionRequest* request,
                                            v1::Session* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<ChildName> name = ParseSessionName(request->name(), "name");
  absl::StatusOr<Member> member =
      Authorize(*context, name.ok() ? absl::StatusOr<std::string>(name->user) : name.status(),
                Access::kSessionOnly, now);
  if (!member.ok()) return kit::Reply(context, member.status());
  absl::StatusOr<storage::SessionRecord> revoked =
      domain_->sessions().Revoke(member->user_id, name->child, now);
  if (!revoked.ok()) return kit::Reply(context, revoked.status());
  *response = ToSession(*revoked);
  response->set_current(revoked->session_id() == SessionIdOf(member->principal));
  return grpc::Status::OK;
}

grpc::Status AccountsService::CreateApiKey(grpc::ServerContext* context,
                                           const v1::CreateApiKeyRequest* request,
                                           v1::CreateApiKeyResponse* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<Member> member =
      Authorize(*context, ParseUserName(request->parent(), "parent"), Access::kSessionOnly, now);
  if (!member.ok()) return kit::Reply(context, member.status());
  absl::StatusOr<CreatedApiKey> created =
      domain_->api_keys().Create(member->user_id, *request, now);
  if (!created.ok()) return kit::Reply(context, created.status());
  *response->mutable_api_key() = std::move(created->api_key);
  response->set_secret(std::move(created->secret));
  return grpc::Status::OK;
}

grpc::Status AccountsService::ListApiKeys(grpc::ServerContext* context,
                                          const v1::ListApiKeysRequest* request,
                                          v1::ListApiKeysResponse* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<Member> member =
      Authorize(*context, ParseUserName(request->parent(), "parent"), Access::kSessionOnly, now);
  if (!member.ok()) return kit::Reply(context, member.status());
  absl::StatusOr<ApiKeyPage> page = domain_->api_keys().List(
      member->user_id, request->page_size(), request->page_token(), request->show_inactive(), now);
  if (!page.ok()) return kit::Reply(context, page.status());
  for (v1::ApiKey& key : page->api_keys) *response->add_api_keys() = std::move(key);
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status AccountsService::RevokeApiKey(grpc::ServerContext* context,
                                           const v1::RevokeApiKeyRequest* request,
                                           v1::ApiKey* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<ChildName> name = ParseApiKeyName(request->name(), "name");
  absl::StatusOr<Member> member =
      Authorize(*context, name.ok() ? absl::StatusOr<std::string>(name->user) : name.status(),
                Access::kSessionOnly, now);
  if (!member.ok()) return kit::Reply(context, member.status());
  return kit::Reply(context, domain_->api_keys().Revoke(member->user_id, name->child, now),
                    response);
}

grpc::Status AccountsService::GetQuota(grpc::ServerContext* context,
                                       const v1::GetQuotaRequest* request, v1::Quota* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<Member> member =
      Authorize(*context, ParseQuotaName(request->name(), "name"), Access::kFilesRead, now);
  if (!member.ok()) return kit::Reply(context, member.status());
  return kit::Reply(context, domain_->quotas().Get(member->user_id, now), response);
}

grpc::Status AccountsService::ListTokenSigningKeys(grpc::ServerContext* context,
                                                   const v1::ListTokenSigningKeysRequest*,
                                                   v1::ListTokenSigningKeysResponse* response) {
  for (const common::v1::PublicKey& key : domain_->signing_keys().public_keys()) {
    *response->add_keys() = key;
  }
  return grpc::Status::OK;
}

}  // namespace bitcontent::accounts
