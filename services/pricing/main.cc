// bitcontent-pricing: wiring only; see pricing_service.h.
#include "libs/kit/serve.h"
#include "services/pricing/pricing_service.h"

int main(int argc, char** argv) {
  bitcontent::kit::InitService(argc, argv, "pricing");
  bitcontent::pricing::PricingService pricing_service;
  bitcontent::pricing::PaywallService paywall_service;
  bitcontent::pricing::PricingInternalService pricing_internal_service;
  bitcontent::pricing::PricingAdminService pricing_admin_service;
  return bitcontent::kit::Serve({.name = "pricing",
                                 .services = {&pricing_service, &paywall_service,
                                              &pricing_internal_service, &pricing_admin_service}});
}
