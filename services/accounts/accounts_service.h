// The gRPC surfaces of the accounts service, thin: each method parses the request,
// authenticates and authorises the caller (caller.h), calls the domain and answers
// through Reply (kit::ToGrpc plus the error-details trailer). The logic lives in the
// domain classes (account_flows.h and the stores), which know nothing of gRPC.
//
// AccountsService is the members' API (through the gateway); the internal and admin
// services are in accounts_internal_service.h and accounts_admin_service.h.
#pragma once

#include "bitcontent/accounts/v1/accounts_service.grpc.pb.h"
#include "services/accounts/accounts_domain.h"
#include "services/accounts/caller.h"

namespace bitcontent::accounts {

// GetUser's answer for `caller` (authenticated from a call's metadata or a coalesced
// call's token): the member they name, if it is them.
absl::StatusOr<v1::User> GetUserAs(AccountsDomain& domain,
                                   absl::StatusOr<common::v1::Principal> caller,
                                   const v1::GetUserRequest& request);

// GetUser, the call every authenticated page makes, runs on gRPC's callback API: the
// handler runs on the thread that read the request, with no hand-off to a worker thread
// (the synchronous API's futex wake-ups were most of its cost; docs/benchmarks.md). It
// never blocks on anything slower than a RocksDB read.
class AccountsService final
    : public v1::AccountsService::WithCallbackMethod_GetUser<v1::AccountsService::Service> {
 public:
  // Both must outlive the service.
  AccountsService(AccountsDomain* domain, const CallerAuthenticator* callers)
      : domain_(domain), callers_(callers) {}

  grpc::Status SignUp(grpc::ServerContext* context, const v1::SignUpRequest* request,
                      v1::SignUpResponse* response) override;
  grpc::Status PreLogin(grpc::ServerContext* context, const v1::PreLoginRequest* request,
                        v1::PreLoginResponse* response) override;
  grpc::Status Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                     v1::LoginResponse* response) override;
  grpc::Status Refresh(grpc::ServerContext* context, const v1::RefreshRequest* request,
                       v1::RefreshResponse* response) override;
  grpc::Status Logout(grpc::ServerContext* context, const v1::LogoutRequest* request,
                      v1::LogoutResponse* response) override;
  grpc::ServerUnaryReactor* GetUser(grpc::CallbackServerContext* context,
                                    const v1::GetUserRequest* request, v1::User* response) override;
  grpc::Status GetKeyBundle(grpc::ServerContext* context, const v1::GetKeyBundleRequest* request,
                            v1::KeyBundle* response) override;
  grpc::Status LookupUserPublicKey(grpc::ServerContext* context,
                                   const v1::LookupUserPublicKeyRequest* request,
                                   v1::LookupUserPublicKeyResponse* response) override;
  grpc::Status ChangePassword(grpc::ServerContext* context,
                              const v1::ChangePasswordRequest* request,
                              v1::ChangePasswordResponse* response) override;
  grpc::Status RecoverAccount(grpc::ServerContext* context,
                              const v1::RecoverAccountRequest* request,
                              v1::RecoverAccountResponse* response) override;
  grpc::Status ClaimLegacyAccount(grpc::ServerContext* context,
                                  const v1::ClaimLegacyAccountRequest* request,
                                  v1::ClaimLegacyAccountResponse* response) override;
  grpc::Status ListSessions(grpc::ServerContext* context, const v1::ListSessionsRequest* request,
                            v1::ListSessionsResponse* response) override;
  grpc::Status RevokeSession(grpc::ServerContext* context, const v1::RevokeSessionRequest* request,
                             v1::Session* response) override;
  grpc::Status CreateApiKey(grpc::ServerContext* context, const v1::CreateApiKeyRequest* request,
                            v1::CreateApiKeyResponse* response) override;
  grpc::Status ListApiKeys(grpc::ServerContext* context, const v1::ListApiKeysRequest* request,
                           v1::ListApiKeysResponse* response) override;
  grpc::Status RevokeApiKey(grpc::ServerContext* context, const v1::RevokeApiKeyRequest* request,
                            v1::ApiKey* response) override;
  grpc::Status GetQuota(grpc::ServerContext* context, const v1::GetQuotaRequest* request,
                        v1::Quota* response) override;
  grpc::Status ListTokenSigningKeys(grpc::ServerContext* context,
                                    const v1::ListTokenSigningKeysRequest* request,
                                    v1::ListTokenSigningKeysResponse* response) override;

 private:
  // The authenticated caller acting on `user_segment` ("me" or an id) with `access`.
  absl::StatusOr<Member> Authorize(const grpc::ServerContextBase& context,
                                   absl::StatusOr<std::string> user_segment, Access access,
                                   absl::Time now) const;

  AccountsDomain* const domain_;
  const CallerAuthenticator* const callers_;
};

}  // namespace bitcontent::accounts
