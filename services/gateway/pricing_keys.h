// Pricing's public keys, as the gateway publishes them at GET /v1/keys next to accounts'
// token keys: the X25519 escrow key creators seal file keys to, and the Ed25519 keys
// that verify quotes and receipts (so a receipt verifies offline, without a call back).
// The gateway keeps them in a KeyRing of their own, refreshed in the background like
// the token keys (kit::KeyRefresher), and never verifies access tokens against them.
#pragma once

#include <grpcpp/channel.h>

#include <memory>

#include "libs/kit/key_refresher.h"

namespace bitcontent::gateway {

// Pricing's keys (PricingService.ListPricingKeys) over `pricing`; an unconfigured
// source (no fetch) when `pricing` is null.
kit::KeySource PricingKeys(std::shared_ptr<grpc::Channel> pricing);

}  // namespace bitcontent::gateway
