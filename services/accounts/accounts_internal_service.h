// The internal accounts API, for other BitContent services only: API-key exchange for
// the gateway, quota reservations for metadata, spend accounting for wallet, pricing and
// streaming, and member lookups. The gateway never routes it; it is reachable only on
// the suite's own network (loopback, or the cluster network behind the mesh's mTLS), so
// it asks for no member token, except in coalesced calls, which carry each caller's
// token and are authorised per call as the members' API would. Thin, like
// accounts_service.h.
#pragma once

#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "services/accounts/accounts_domain.h"
#include "services/accounts/caller.h"

namespace bitcontent::accounts {

// CoalescedGetUser runs on gRPC's callback API, like AccountsService::GetUser: it only
// reads RocksDB, so it answers on the thread that read the batch.
class AccountsInternalService final
    : public v1::AccountsInternalService::WithCallbackMethod_CoalescedGetUser<
          v1::AccountsInternalService::Service> {
 public:
  // Both must outlive the service.
  AccountsInternalService(AccountsDomain* domain, const CallerAuthenticator* callers)
      : domain_(domain), callers_(callers) {}

  grpc::Status AuthenticateApiKey(grpc::ServerContext* context,
                                  const v1::AuthenticateApiKeyRequest* request,
                                  v1::AuthenticateApiKeyResponse* response) override;
  grpc::Status BatchGetUsers(grpc::ServerContext* context, const v1::BatchGetUsersRequest* request,
                             v1::BatchGetUsersResponse* response) override;
  grpc::Status LookupUserByEmail(grpc::ServerContext* context,
                                 const v1::LookupUserByEmailRequest* request,
                                 v1::User* response) override;
  grpc::ServerUnaryReactor* CoalescedGetUser(grpc::CallbackServerContext* context,
                                             const common::v1::CoalescedCallsRequest* request,
                                             common::v1::CoalescedCallsResponse* response) override;
  grpc::Status ReserveQuota(grpc::ServerContext* context, const v1::ReserveQuotaRequest* request,
                            v1::QuotaReservation* response) override;
  grpc::Status CommitQuotaReservation(grpc::ServerContext* context,
                                      const v1::CommitQuotaReservationRequest* request,
                                      v1::QuotaReservation* response) override;
  grpc::Status ReleaseQuotaReservation(grpc::ServerContext* context,
                                       const v1::ReleaseQuotaReservationRequest* request,
                                       v1::QuotaReservation* response) override;
  grpc::Status AdjustQuotaUsage(grpc::ServerContext* context,
                                const v1::AdjustQuotaUsageRequest* request,
                                v1::Quota* response) override;
  grpc::Status ChargeApiKeySpend(grpc::ServerContext* context,
                                 const v1::ChargeApiKeySpendRequest* request,
                                 v1::ChargeApiKeySpendResponse* response) override;
  grpc::Status RefundApiKeySpend(grpc::ServerContext* context,
                                 const v1::RefundApiKeySpendRequest* request,
                                 v1::ChargeApiKeySpendResponse* response) override;

 private:
  // The id of an existing member named "users/{id}" ("me" means nothing here).
  absl::StatusOr<std::string> ExistingUser(absl::string_view user_segment) const;

  AccountsDomain* const domain_;
  const CallerAuthenticator* const callers_;
};

}  // namespace bitcontent::accounts
