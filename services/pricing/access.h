// CheckAccess: whether a member may download a file, for metadata's download grants
// (PricingInternalService.CheckAccess). Answers from pricing's own store only.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "bitcontent/pricing/v1/pricing_internal_service.pb.h"
#include "services/pricing/entitlements.h"
#include "services/pricing/prices.h"

namespace bitcontent::pricing {

// FREE (no price, or nothing charged), SELLER, ENTITLED (with the purchase),
// STREAM_ONLY (downloads not sold but a stream rate set) or PAYMENT_REQUIRED. `node` is
// "nodes/{node}"; `user` "users/{user}" or empty for an anonymous caller.
absl::StatusOr<v1::CheckAccessResponse> CheckAccess(const Prices& prices,
                                                    const Entitlements& entitlements,
                                                    std::string_view node, std::string_view user);

}  // namespace bitcontent::pricing
