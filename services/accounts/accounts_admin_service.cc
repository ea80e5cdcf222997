#include "services/accounts/accounts_admin_service.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/kit/log.h"
#include "libs/kit/reply.h"
#include "services/accounts/email.h"
#include "services/accounts/resource_names.h"

namespace bitcontent::accounts {

absl::StatusOr<common::v1::Principal> AccountsAdminService::AuthorizeOperator(
    const grpc::ServerContextBase& context, absl::Time now) const {
  absl::StatusOr<common::v1::Principal> principal = callers_->Authenticate(context, now);
  if (!principal.ok()) return principal.status();
  if (absl::Status s = RequireOperator(*principal); !s.ok()) return s;
  return principal;
}

absl::StatusOr<std::string> AccountsAdminService::ExistingUser(absl::string_view name) const {
  absl::StatusOr<std::string> id = ParseUserName(name, "user");
  if (!id.ok()) return id.status();
  if (*id == kMe) return kit::FieldError("user", "must name the member, not \"me\"");
  absl::StatusOr<storage::UserRecord> user = domain_->users().Get(*id);
  if (!user.ok()) return user.status();
  return id;
}

grpc::Status AccountsAdminService::ImportLegacyAccounts(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::ImportLegacyAccountsResponse, v1::ImportLegacyAccountsRequest>*
        stream) {
  absl::StatusOr<common::v1::Principal> caller = AuthorizeOperator(*context, absl::Now());
  if (!caller.ok()) return kit::Reply(context, caller.status());
  ImportTotals totals;
  v1::ImportLegacyAccountsRequest request;
  while (stream->Read(&request)) {
    absl::StatusOr<v1::ImportLegacyAccountsResponse> response =
        domain_->legacy().ImportBatch(request, absl::Now(), &totals);
    if (!response.ok()) return kit::Reply(context, response.status());
    if (!stream->Write(*response)) {
      return kit::Reply(context, absl::CancelledError("the client stopped reading the results"));
    }
  }
  kit::Log(spdlog::level::info, "legacy import stream ended",
           {{"by", caller->user()},
            {"created", absl::StrCat(totals.created)},
            {"already_imported", absl::StrCat(totals.already_imported)},
            {"rejected", absl::StrCat(totals.rejected)}});
  return grpc::Status::OK;
}

grpc::Status AccountsAdminService::IssueClaimToken(grpc::ServerContext* context,
                                                   const v1::IssueClaimTokenRequest* request,
                                                   v1::IssueClaimTokenResponse* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<common::v1::Principal> caller = AuthorizeOperator(*context, now);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  absl::StatusOr<std::string> user = ExistingUser(request->user());
  if (!user.ok()) return kit::Reply(context, user.status());
  std::optional<absl::Time> expire;
  if (request->has_expire_time()) expire = auth::TimeFromProto(request->expire_time());
  return kit::Reply(context, domain_->legacy().IssueClaimToken(*user, expire, now), response);
}

grpc::Status AccountsAdminService::SetQuotaLimit(grpc::ServerContext* context,
                                                 const v1::SetQuotaLimitRequest* request,
                                                 v1::Quota* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<common::v1::Principal> caller = AuthorizeOperator(*context, now);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  absl::StatusOr<std::string> user = ExistingUser(request->user());
  if (!user.ok()) return kit::Reply(context, user.status());
  return kit::Reply(context, domain_->quotas().SetLimit(*user, request->limit_bytes(), now),
                    response);
}

grpc::Status AccountsAdminService::SetUserState(grpc::ServerContext* context,
                                                const v1::SetUserStateRequest* request,
                                                v1::User* response) {
  const absl::Time now = absl::Now();
  absl::StatusOr<common::v1::Principal> caller = AuthorizeOperator(*context, now);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  absl::StatusOr<std::string> user = ExistingUser(request->user());
  if (!user.ok()) return kit::Reply(context, user.status());
  // Disabling one's own account ends one's own sessions, and with the last operator
  // nobody could enable it again: another operator does it, if it must be done.
  if (request->state() == v1::USER_STATE_DISABLED &&
      absl::EqualsIgnoreCase(absl::StrCat("users/", *user), caller->user())) {
    return kit::Reply(context,
                      absl::FailedPreconditionError(
                          "you cannot disable your own account (your sessions would end and "
                          "you could not enable it again): another operator can"));
  }
  absl::StatusOr<v1::User> changed =
      domain_->flows().SetUserState(*user, request->state(), request->reason(), now);
  if (changed.ok()) {
    // The audit trail: who changed whom, and why.
    kit::Log(spdlog::level::info, "member state changed",
             {{"by", caller->user()},
              {"user", changed->name()},
              {"state", v1::UserState_Name(changed->state())},
              {"reason", request->reason()}});
  }
  return kit::Reply(context, std::move(changed), response);
}

grpc::Status AccountsAdminService::LookupUser(grpc::ServerContext* context,
                                              const v1::LookupUserRequest* request,
                                              v1::User* response) {
  absl::StatusOr<common::v1::Principal> caller = AuthorizeOperator(*context, absl::Now());
  if (!caller.ok()) return kit::Reply(context, caller.status());
  absl::StatusOr<std::string> email = NormalizeEmail(request->email());
  if (!email.ok()) return kit::Reply(context, email.status());
  absl::StatusOr<std::optional<storage::UserRecord>> found = domain_->users().FindByEmail(*email);
  if (!found.ok()) return kit::Reply(context, found.status());
  if (!found->has_value()) {
    return kit::Reply(context,
                      absl::NotFoundError(absl::StrCat("no account has the email ", *email)));
  }
  *response = (*found)->user();
  return grpc::Status::OK;
}

}  // namespace bitcontent::accounts
