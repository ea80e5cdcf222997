#include "libs/kit/api_key_spend.h"

#include <string>

#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "libs/kit/reply.h"

namespace bitcontent::kit {

absl::Status ChargeApiKeySpend(const std::shared_ptr<grpc::Channel>& accounts,
                               grpc::ClientContext& context, absl::string_view api_key,
                               uint64_t amount_msat, absl::string_view request_id) {
  accounts::v1::ChargeApiKeySpendRequest request;
  request.set_api_key(std::string(api_key));
  request.set_amount_msat(amount_msat);
  request.set_request_id(std::string(request_id));
  accounts::v1::ChargeApiKeySpendResponse response;
  const grpc::Status status =
      accounts::v1::AccountsInternalService::NewStub(accounts)->ChargeApiKeySpend(&context, request,
                                                                                  &response);
  return FromCall(status, context);
}

absl::Status RefundApiKeySpend(const std::shared_ptr<grpc::Channel>& accounts,
                               grpc::ClientContext& context, absl::string_view api_key,
                               uint64_t amount_msat, absl::string_view charge_request_id) {
  accounts::v1::RefundApiKeySpendRequest request;
  request.set_api_key(std::string(api_key));
  request.set_amount_msat(amount_msat);
  request.set_charge_request_id(std::string(charge_request_id));
  accounts::v1::ChargeApiKeySpendResponse response;
  const grpc::Status status =
      accounts::v1::AccountsInternalService::NewStub(accounts)->RefundApiKeySpend(&context, request,
                                                                                  &response);
  return FromCall(status, context);
}

}  // namespace bitcontent::kit
