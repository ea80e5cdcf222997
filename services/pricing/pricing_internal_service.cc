// PricingInternalService: the handlers. Internal calls come from other services inside
// the suite's network only (the gateway never routes them).
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/kit/reply.h"
#include "services/pricing/access.h"
#include "services/pricing/pricing_service.h"

namespace bitcontent::pricing {
namespace {

absl::Status StreamingLater(absl::string_view method) {
  return absl::UnimplementedError(absl::StrCat(
      "PricingInternalService.", method,
      " is for metered streaming, which is built in a later issue; files are sold by download "
      "for now (CheckAccess, ReleaseFileKey)"));
}

}  // namespace

grpc::Status PricingInternalService::CheckAccess(grpc::ServerContext* context,
                                                 const v1::CheckAccessRequest* request,
                                                 v1::CheckAccessResponse* response) {
  return kit::Reply(
      context,
      pricing::CheckAccess(*parts_.prices, *parts_.entitlements, request->node(), request->user()),
      response);
}

grpc::Status PricingInternalService::GetStreamTerms(grpc::ServerContext* context,
                                                    const v1::GetStreamTermsRequest* /*request*/,
                                                    v1::StreamTerms* /*response*/) {
  return kit::Reply(context, StreamingLater("GetStreamTerms"));
}

grpc::Status PricingInternalService::ReleaseStreamKey(
    grpc::ServerContext* context, const v1::ReleaseStreamKeyRequest* /*request*/,
    v1::ReleaseStreamKeyResponse* /*response*/) {
  return kit::Reply(context, StreamingLater("ReleaseStreamKey"));
}

}  // namespace bitcontent::pricing
