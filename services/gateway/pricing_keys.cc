#include "services/gateway/pricing_keys.h"

#include "bitcontent/pricing/v1/pricing_service.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/kit/status.h"

namespace bitcontent::gateway {

kit::KeySource PricingKeys(std::shared_ptr<grpc::Channel> pricing) {
  kit::KeySource source{.what = "escrow, quote and receipt keys from pricing",
                        .missing_flag = "--pricing_target"};
  if (pricing == nullptr) return source;
  source.fetch = [pricing]() -> absl::StatusOr<std::vector<common::v1::PublicKey>> {
    auto context = kit::NewCallContext(kit::KeyRefresher::kCallTimeout);
    pricing::v1::ListPricingKeysResponse response;
    const grpc::Status status = pricing::v1::PricingService::NewStub(pricing)->ListPricingKeys(
        context.get(), pricing::v1::ListPricingKeysRequest(), &response);
    if (!status.ok()) return kit::FromGrpc(status);
    return std::vector<common::v1::PublicKey>(response.keys().begin(), response.keys().end());
  };
  return source;
}

}  // namespace bitcontent::gateway
