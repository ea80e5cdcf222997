// The gRPC surface of the pricing service. Its RPCs are declared in
// proto/bitcontent/pricing/v1/ and are built in the issues that need them; until then
// each answers UNIMPLEMENTED with a message naming the method (see the kit's
// interceptor), never a silent success. The paywall's PaywallService is in
// paywall_service.h.
#pragma once

#include "bitcontent/pricing/v1/pricing_admin_service.grpc.pb.h"
#include "bitcontent/pricing/v1/pricing_internal_service.grpc.pb.h"
#include "bitcontent/pricing/v1/pricing_service.grpc.pb.h"

namespace bitcontent::pricing {

class PricingService final : public v1::PricingService::Service {};
class PricingInternalService final : public v1::PricingInternalService::Service {};
class PricingAdminService final : public v1::PricingAdminService::Service {};

}  // namespace bitcontent::pricing
