// The operator accounts API: bulk import of legacy members, claim tokens, quota limits
// and member state. Every call needs a login session of a member with the operator
// role (--operator_emails). Thin, like accounts_service.h.
#pragma once

#include "bitcontent/accounts/v1/accounts_admin_service.grpc.pb.h"
#include "services/accounts/accounts_domain.h"
#include "services/accounts/caller.h"

namespace bitcontent::accounts {

class AccountsAdminService final : public v1::AccountsAdminService::Service {
 public:
  // Both must outlive the service.
  AccountsAdminService(AccountsDomain* domain, const CallerAuthenticator* callers)
      : domain_(domain), callers_(callers) {}

  grpc::Status ImportLegacyAccounts(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::ImportLegacyAccountsResponse, v1::ImportLegacyAccountsRequest>*
          stream) override;
  grpc::Status IssueClaimToken(grpc::ServerContext* context,
                               const v1::IssueClaimTokenRequest* request,
                               v1::IssueClaimTokenResponse* response) override;
  grpc::Status SetQuotaLimit(grpc::ServerContext* context, const v1::SetQuotaLimitRequest* request,
                             v1::Quota* response) override;
  grpc::Status LookupUser(grpc::ServerContext* context, const v1::LookupUserRequest* request,
                          v1::User* response) override;
  grpc::Status SetUserState(grpc::ServerContext* context, const v1::SetUserStateRequest* request,
                            v1::User* response) override;

 private:
  // The caller, when they are an operator.
  absl::StatusOr<common::v1::Principal> AuthorizeOperator(const grpc::ServerContextBase& context,
                                                          absl::Time now) const;
  // The id of the existing member `name` ("users/{id}") names.
  absl::StatusOr<std::string> ExistingUser(absl::string_view name) const;

  AccountsDomain* const domain_;
  const CallerAuthenticator* const callers_;
};

}  // namespace bitcontent::accounts
