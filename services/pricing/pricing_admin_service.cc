// PricingAdminService: the handlers, for operators with their own session.
#include "absl/time/clock.h"
#include "libs/kit/reply.h"
#include "services/pricing/pricing_service.h"

namespace bitcontent::pricing {

grpc::Status PricingAdminService::GetPricingSettings(
    grpc::ServerContext* context, const v1::GetPricingSettingsRequest* /*request*/,
    v1::PricingSettings* response) {
  if (absl::Status allowed = parts_.callers->Operator(*context); !allowed.ok()) {
    return kit::Reply(context, allowed);
  }
  *response = parts_.settings->Get();
  return grpc::Status::OK;
}

grpc::Status PricingAdminService::UpdatePricingSettings(
    grpc::ServerContext* context, const v1::UpdatePricingSettingsRequest* request,
    v1::PricingSettings* response) {
  if (absl::Status allowed = parts_.callers->Operator(*context); !allowed.ok()) {
    return kit::Reply(context, allowed);
  }
  return kit::Reply(context, parts_.settings->Update(*request, absl::Now()), response);
}

}  // namespace bitcontent::pricing
