#include "services/accounts/accounts_internal_service.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/access_token.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/coalesced_calls.h"
#include "libs/kit/error_details.h"
#include "libs/kit/reply.h"
#include "services/accounts/accounts_service.h"
#include "services/accounts/email.h"
#include "services/accounts/limits.h"
#include "services/accounts/resource_names.h"

namespace bitcontent::accounts {
namespace {

v1::ChargeApiKeySpendResponse SpendResponse(const SpendState& state) {
  v1::ChargeApiKeySpendResponse response;
  response.set_spent_msat(state.spent_msat);
  response.set_remaining_msat(state.remaining_msat);
  return response;
}

}  // namespace

absl::StatusOr<std::string> AccountsInternalService::ExistingUser(
    absl::string_view user_segment) const {
  if (user_segment == kMe) {
    return kit::FieldError("user", "\"me\" has no meaning for a service; name the member");
  }
  absl::StatusOr<storage::UserRecord> user = domain_->users().Get(user_segment);
  if (!user.ok()) return user.status();
  return std::string(user_segment);
}

grpc::Status AccountsInternalService::AuthenticateApiKey(
    grpc::ServerContext* context, const v1::AuthenticateApiKeyRequest* request,
    v1::AuthenticateApiKeyResponse* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<storage::ApiKeyRecord> key =
      domain_->api_keys().Authenticate(request->secret(), now);
  if (!key.ok()) return kit::Reply(context, key.status());
  absl::StatusOr<storage::UserRecord> user = domain_->users().Get(key->user_id());
  if (!user.ok()) return kit::Reply(context, user.status());
  if (user->user().state() != v1::USER_STATE_ACTIVE) {
    return kit::Reply(context, absl::UnauthenticatedError("the API key's member is not active"));
  }
  const IssuedAccessToken token = domain_->issuer().ForApiKey(*key, now);
  // The principal the token describes, read back the way every verifier will.
  absl::StatusOr<accounts::v1::AccessTokenClaims> claims =
      auth::VerifyAccessToken(token.token, domain_->signing_keys().keyring(), now);
  if (!claims.ok()) return kit::Reply(context, claims.status());
  *response->mutable_principal() = auth::PrincipalFromClaims(*claims);
  response->set_access_token(token.token);
  *response->mutable_access_token_expire_time() = auth::ProtoFromTime(token.expire_time);
  return grpc::Status::OK;
}

grpc::Status AccountsInternalService::BatchGetUsers(grpc::ServerContext* context,
                                                    const v1::BatchGetUsersRequest* request,
                                                    v1::BatchGetUsersResponse* response) {
  if (static_cast<size_t>(request->names_size()) > kBatchGetUsersMax) {
    return kit::Reply(context, kit::FieldError("names", absl::StrCat("holds more than ",
                                                                     kBatchGetUsersMax, " names")));
  }
  for (const std::string& name : request->names()) {
    absl::StatusOr<std::string> id = ParseUserName(name, "names");
    if (!id.ok()) return kit::Reply(context, id.status());
    absl::StatusOr<std::string> existing = ExistingUser(*id);
    if (!existing.ok()) return kit::Reply(context, existing.status());
    absl::StatusOr<storage::UserRecord> user = domain_->users().Get(*existing);
    if (!user.ok()) return kit::Reply(context, user.status());
    *response->add_users() = user->user();
  }
  return grpc::Status::OK;
}

grpc::Status AccountsInternalService::LookupUserByEmail(grpc::ServerContext* context,
                                                        const v1::LookupUserByEmailRequest* request,
                                                        v1::User* response) {
  absl::StatusOr<std::string> email = NormalizeEmail(request->email());
  if (!email.ok()) return kit::Reply(context, email.status());
  absl::StatusOr<std::optional<storage::UserRecord>> found = domain_->users().FindByEmail(*email);
  if (!found.ok()) return kit::Reply(context, found.status());
  if (!found->has_value()) {
    return kit::Reply(context, absl::NotFoundError("no member has this email"));
  }
  *response = (*found)->user();
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* AccountsInternalService::CoalescedGetUser(
    grpc::CallbackServerContext* context, const common::v1::CoalescedCallsRequest* request,
    common::v1::CoalescedCallsResponse* response) {
  const absl::Time now = absl::Now();
  const absl::Status answered = kit::AnswerCoalesced<v1::GetUserRequest>(
      "/bitcontent.accounts.v1.AccountsService/GetUser", *request, response,
      [&](const common::v1::CoalescedCall& call, const v1::GetUserRequest& get) {
        return GetUserAs(*domain_, callers_->AuthenticateToken(call.bearer_token(), now), get);
      });
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(kit::Reply(context, answered));
  return reactor;
}

grpc::Status AccountsInternalService::ReserveQuota(grpc::ServerContext* context,
                                                   const v1::ReserveQuotaRequest* request,
                                                   v1::QuotaReservation* response) {
  absl::StatusOr<std::string> id = ParseUserName(request->user(), "user");
  if (!id.ok()) return kit::Reply(context, id.status());
  absl::StatusOr<std::string> user = ExistingUser(*id);
  if (!user.ok()) return kit::Reply(context, user.status());
  std::optional<absl::Time> expire;
  if (request->has_expire_time()) expire = auth::TimeFromProto(request->expire_time());
  return kit::Reply(context,
                    domain_->quotas().Reserve(*user, request->reservation_id(),
                                              request->size_bytes(), expire, absl::Now()),
                    response);
}

grpc::Status AccountsInternalService::CommitQuotaReservation(
    grpc::ServerContext* context, const v1::CommitQuotaReservationRequest* request,
    v1::QuotaReservation* response) {
  absl::StatusOr<ChildName> name = ParseReservationName(request->name(), "name");
  if (!name.ok()) return kit::Reply(context, name.status());
  if (absl::StatusOr<std::string> user = ExistingUser(name->user); !user.ok()) {
    return kit::Reply(context, user.status());
  }
  return kit::Reply(
      context,
      domain_->quotas().Commit(name->user, name->child, request->used_bytes(), absl::Now()),
      response);
}

grpc::Status AccountsInternalService::ReleaseQuotaReservation(
    grpc::ServerContext* context, const v1::ReleaseQuotaReservationRequest* request,
    v1::QuotaReservation* response) {
  absl::StatusOr<ChildName> name = ParseReservationName(request->name(), "name");
  if (!name.ok()) return kit::Reply(context, name.status());
  if (absl::StatusOr<std::string> user = ExistingUser(name->user); !user.ok()) {
    return kit::Reply(context, user.status());
  }
  return kit::Reply(context, domain_->quotas().Release(name->user, name->child, absl::Now()),
                    response);
}

grpc::Status AccountsInternalService::AdjustQuotaUsage(grpc::ServerContext* context,
                                                       const v1::AdjustQuotaUsageRequest* request,
                                                       v1::Quota* response) {
  absl::StatusOr<std::string> id = ParseUserName(request->user(), "user");
  if (!id.ok()) return kit::Reply(context, id.status());
  absl::StatusOr<std::string> user = ExistingUser(*id);
  if (!user.ok()) return kit::Reply(context, user.status());
  return kit::Reply(
      context,
      domain_->quotas().Adjust(*user, request->delta_bytes(), request->request_id(), absl::Now()),
      response);
}

grpc::Status AccountsInternalService::ChargeApiKeySpend(grpc::ServerContext* context,
                                                        const v1::ChargeApiKeySpendRequest* request,
                                                        v1::ChargeApiKeySpendResponse* response) {
  absl::StatusOr<ChildName> name = ParseApiKeyName(request->api_key(), "api_key");
  if (!name.ok()) return kit::Reply(context, name.status());
  if (absl::StatusOr<std::string> user = ExistingUser(name->user); !user.ok()) {
    return kit::Reply(context, user.status());
  }
  absl::StatusOr<SpendState> state = domain_->api_keys().Charge(
      name->user, name->child, request->amount_msat(), request->request_id(), absl::Now());
  if (!state.ok()) return kit::Reply(context, state.status());
  *response = SpendResponse(*state);
  return grpc::Status::OK;
}

grpc::Status AccountsInternalService::RefundApiKeySpend(grpc::ServerContext* context,
                                                        const v1::RefundApiKeySpendRequest* request,
                                                        v1::ChargeApiKeySpendResponse* response) {
  absl::StatusOr<ChildName> name = ParseApiKeyName(request->api_key(), "api_key");
  if (!name.ok()) return kit::Reply(context, name.status());
  if (absl::StatusOr<std::string> user = ExistingUser(name->user); !user.ok()) {
    return kit::Reply(context, user.status());
  }
  absl::StatusOr<SpendState> state = domain_->api_keys().Refund(
      name->user, name->child, request->amount_msat(), request->charge_request_id(), absl::Now());
  if (!state.ok()) return kit::Reply(context, state.status());
  *response = SpendResponse(*state);
  return grpc::Status::OK;
}

}  // namespace bitcontent::accounts
