// The gRPC surface of the pricing core: PricingService (members; GetPrice,
// ListPricingKeys, GetFiatRates and VerifyReceipt need no token), PricingInternalService
// (metadata's CheckAccess; streaming's RPCs answer UNIMPLEMENTED until streaming is
// built) and PricingAdminService (operators). Handlers check the caller, bind the
// backends to the call (backends_grpc.h) and hand the work to the domain classes. The
// paywall's PaywallService is in paywall_service.h.
#pragma once

#include "bitcontent/pricing/v1/pricing_admin_service.grpc.pb.h"
#include "bitcontent/pricing/v1/pricing_internal_service.grpc.pb.h"
#include "bitcontent/pricing/v1/pricing_service.grpc.pb.h"
#include "services/pricing/backends_grpc.h"
#include "services/pricing/earnings.h"
#include "services/pricing/entitlements.h"
#include "services/pricing/paywall_catalog.h"
#include "services/pricing/prices.h"
#include "services/pricing/pricing_caller.h"
#include "services/pricing/pricing_keys.h"
#include "services/pricing/purchases.h"
#include "services/pricing/quotes.h"
#include "services/pricing/settings.h"

namespace bitcontent::pricing {

// What the handlers work with; each must outlive the services.
struct PricingParts {
  Prices* prices = nullptr;
  const Quotes* quotes = nullptr;
  Purchases* purchases = nullptr;
  const Entitlements* entitlements = nullptr;
  const Earnings* earnings = nullptr;
  const PricingKeys* keys = nullptr;
  PricingSettingsStore* settings = nullptr;
  const PaywallCatalog* paywall_catalog = nullptr;
  const PricingCallerCheck* callers = nullptr;
  BackendChannels channels;
  WalletAccounts* wallet_accounts = nullptr;
  TransferBatcher* transfer_batcher = nullptr;  // null without a wallet
};

class PricingService final : public v1::PricingService::Service {
 public:
  explicit PricingService(PricingParts parts) : parts_(std::move(parts)) {}

  grpc::Status SetPrice(grpc::ServerContext* context, const v1::SetPriceRequest* request,
                        v1::Price* response) override;
  grpc::Status GetPrice(grpc::ServerContext* context, const v1::GetPriceRequest* request,
                        v1::Price* response) override;
  grpc::Status DeletePrice(grpc::ServerContext* context, const v1::DeletePriceRequest* request,
                           v1::DeletePriceResponse* response) override;
  grpc::Status CreateQuote(grpc::ServerContext* context, const v1::CreateQuoteRequest* request,
                           v1::Quote* response) override;
  grpc::Status CreatePurchase(grpc::ServerContext* context,
                              const v1::CreatePurchaseRequest* request,
                              v1::Purchase* response) override;
  grpc::Status GetPurchase(grpc::ServerContext* context, const v1::GetPurchaseRequest* request,
                           v1::Purchase* response) override;
  grpc::Status ListPurchases(grpc::ServerContext* context, const v1::ListPurchasesRequest* request,
                             v1::ListPurchasesResponse* response) override;
  grpc::Status ListEntitlements(grpc::ServerContext* context,
                                const v1::ListEntitlementsRequest* request,
                                v1::ListEntitlementsResponse* response) override;
  grpc::Status ReleaseFileKey(grpc::ServerContext* context,
                              const v1::ReleaseFileKeyRequest* request,
                              v1::ReleaseFileKeyResponse* response) override;
  grpc::Status GetReceipt(grpc::ServerContext* context, const v1::GetReceiptRequest* request,
                          v1::GetReceiptResponse* response) override;
  grpc::Status VerifyReceipt(grpc::ServerContext* context, const v1::VerifyReceiptRequest* request,
                             v1::VerifyReceiptResponse* response) override;
  grpc::Status ListEarnings(grpc::ServerContext* context, const v1::ListEarningsRequest* request,
                            v1::ListEarningsResponse* response) override;
  grpc::Status ListPricingKeys(grpc::ServerContext* context,
                               const v1::ListPricingKeysRequest* request,
                               v1::ListPricingKeysResponse* response) override;
  grpc::Status GetFiatRates(grpc::ServerContext* context, const v1::GetFiatRatesRequest* request,
                            v1::GetFiatRatesResponse* response) override;

 private:
  const PricingParts parts_;
};

class PricingInternalService final : public v1::PricingInternalService::Service {
 public:
  explicit PricingInternalService(PricingParts parts) : parts_(std::move(parts)) {}

  grpc::Status CheckAccess(grpc::ServerContext* context, const v1::CheckAccessRequest* request,
                           v1::CheckAccessResponse* response) override;
  grpc::Status GetStreamTerms(grpc::ServerContext* context,
                              const v1::GetStreamTermsRequest* request,
                              v1::StreamTerms* response) override;
  grpc::Status ReleaseStreamKey(grpc::ServerContext* context,
                                const v1::ReleaseStreamKeyRequest* request,
                                v1::ReleaseStreamKeyResponse* response) override;

 private:
  const PricingParts parts_;
};

class PricingAdminService final : public v1::PricingAdminService::Service {
 public:
  explicit PricingAdminService(PricingParts parts) : parts_(std::move(parts)) {}

  grpc::Status GetPricingSettings(grpc::ServerContext* context,
                                  const v1::GetPricingSettingsRequest* request,
                                  v1::PricingSettings* response) override;
  grpc::Status UpdatePricingSettings(grpc::ServerContext* context,
                                     const v1::UpdatePricingSettingsRequest* request,
                                     v1::PricingSettings* response) override;

 private:
  const PricingParts parts_;
};

}  // namespace bitcontent::pricing
