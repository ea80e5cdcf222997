// PricingService: the handlers.
#include "services/pricing/pricing_service.h"

#include "absl/time/clock.h"
#include "libs/kit/reply.h"
#include "libs/split/split.h"
#include "services/pricing/key_release.h"
#include "services/pricing/node_catalog.h"
#include "services/pricing/receipts.h"

namespace bitcontent::pricing {

using common::v1::SCOPE_EARNINGS_READ;
using common::v1::SCOPE_FILES_READ;
using common::v1::SCOPE_FILES_WRITE;
using common::v1::SCOPE_UNSPECIFIED;
using common::v1::SCOPE_WALLET_PAY;

grpc::Status PricingService::SetPrice(grpc::ServerContext* context,
                                      const v1::SetPriceRequest* request, v1::Price* response) {
  absl::StatusOr<PricingCaller> caller = parts_.callers->Member(*context, SCOPE_FILES_WRITE);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  MetadataNodes nodes(parts_.channels.metadata, context);
  AccountsMembers members(parts_.channels.accounts, context);
  v1::SetPriceRequest canonical = *request;
  CanonicalizeUsers(canonical.mutable_price()->mutable_split());
  return kit::Reply(context,
                    parts_.prices->Set(caller->user_id, canonical, &nodes, &members, absl::Now()),
                    response);
}

grpc::Status PricingService::GetPrice(grpc::ServerContext* context,
                                      const v1::GetPriceRequest* request, v1::Price* response) {
  absl::StatusOr<v1::Price> price = parts_.prices->Get(request->name());
  // Its seller is told which members of the split cannot be paid now: every sale is
  // refused until the split changes, and the buyers' refusals never reach the seller.
  absl::StatusOr<PricingCaller> caller = parts_.callers->Member(*context, SCOPE_UNSPECIFIED);
  if (price.ok() && caller.ok() && price->seller() == absl::StrCat("users/", caller->user_id)) {
    if (absl::Status marked = AccountsMembers(parts_.channels.accounts, context)
                                  .MarkNotPayable(price->mutable_split());
        !marked.ok()) {
      return kit::Reply(context, marked);
    }
  }
  return kit::Reply(context, std::move(price), response);
}

grpc::Status PricingService::DeletePrice(grpc::ServerContext* context,
                                         const v1::DeletePriceRequest* request,
                                         v1::DeletePriceResponse* /*response*/) {
  absl::StatusOr<PricingCaller> caller = parts_.callers->Member(*context, SCOPE_FILES_WRITE);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  MetadataNodes nodes(parts_.channels.metadata, context);
  return kit::Reply(context, parts_.prices->Delete(caller->user_id, request->name(), &nodes));
}

grpc::Status PricingService::CreateQuote(grpc::ServerContext* context,
                                         const v1::CreateQuoteRequest* request,
                                         v1::Quote* response) {
  absl::StatusOr<PricingCaller> caller = parts_.callers->Member(*context, SCOPE_UNSPECIFIED);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  MetadataNodes nodes(parts_.channels.metadata, context);
  const NodeCatalog node_catalog(parts_.prices, &nodes);
  const Catalogs catalogs(&node_catalog, parts_.paywall_catalog);
  absl::StatusOr<v1::Quote> quote =
      parts_.quotes->Create(caller->user_id, *request, catalogs, absl::Now());
  // A quote no purchase could pay (a member its split credits is disabled) is refused
  // now, as the purchase would be, not handed out to fail later.
  if (quote.ok() && !quote->already_entitled()) {
    AccountsMembers members(parts_.channels.accounts, context);
    if (absl::Status payable = members.CheckPayable(CreditedMembers(quote->lines()));
        !payable.ok()) {
      return kit::Reply(context, payable);
    }
  }
  return kit::Reply(context, std::move(quote), response);
}

grpc::Status PricingService::CreatePurchase(grpc::ServerContext* context,
                                            const v1::CreatePurchaseRequest* request,
                                            v1::Purchase* response) {
  absl::StatusOr<PricingCaller> caller = parts_.callers->Member(*context, SCOPE_WALLET_PAY);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  MetadataNodes nodes(parts_.channels.metadata, context);
  const NodeCatalog node_catalog(parts_.prices, &nodes);
  const Catalogs catalogs(&node_catalog, parts_.paywall_catalog);
  WalletLedger ledger(parts_.channels.wallet, context, parts_.wallet_accounts,
                      parts_.transfer_batcher);
  AccountsMembers members(parts_.channels.accounts, context);
  const PurchaseOrder order = {.buyer_id = caller->user_id,
                               .api_key = caller->api_key,
                               .quote_token = request->quote_token(),
                               .subject = request->subject(),
                               .request_id = request->request_id(),
                               .max_amount_msat = request->max_amount_msat()};
  return kit::Reply(
      context,
      parts_.purchases->Create(
          order, {.catalog = &catalogs, .ledger = &ledger, .members = &members}, absl::Now()),
      response);
}

grpc::Status PricingService::GetPurchase(grpc::ServerContext* context,
                                         const v1::GetPurchaseRequest* request,
                                         v1::Purchase* response) {
  absl::StatusOr<PricingCaller> caller = parts_.callers->Member(*context, SCOPE_UNSPECIFIED);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  absl::StatusOr<storage::PurchaseRecord> record =
      parts_.purchases->Get(caller->user_id, request->name());
  if (!record.ok()) return kit::Reply(context, record.status());
  *response = record->purchase();
  return grpc::Status::OK;
}

grpc::Status PricingService::ListPurchases(grpc::ServerContext* context,
                                           const v1::ListPurchasesRequest* request,
                                           v1::ListPurchasesResponse* response) {
  absl::StatusOr<PricingCaller> caller =
      parts_.callers->Self(*context, SCOPE_UNSPECIFIED, request->buyer(), "buyer");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  return kit::Reply(context, parts_.purchases->List(caller->user_id, *request), response);
}

grpc::Status PricingService::ListEntitlements(grpc::ServerContext* context,
                                              const v1::ListEntitlementsRequest* request,
                                              v1::ListEntitlementsResponse* response) {
  absl::StatusOr<PricingCaller> caller =
      parts_.callers->Self(*context, SCOPE_UNSPECIFIED, request->parent(), "parent");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  return kit::Reply(context, parts_.entitlements->List(caller->user_id, *request), response);
}

grpc::Status PricingService::ReleaseFileKey(grpc::ServerContext* context,
                                            const v1::ReleaseFileKeyRequest* request,
                                            v1::ReleaseFileKeyResponse* response) {
  absl::StatusOr<PricingCaller> caller = parts_.callers->Member(*context, SCOPE_FILES_READ);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  AccountsMembers members(parts_.channels.accounts, context);
  MetadataNodes nodes(parts_.channels.metadata, context);
  absl::StatusOr<std::string> sealed =
      pricing::ReleaseFileKey(*parts_.prices, *parts_.entitlements, *parts_.keys, &members, &nodes,
                              caller->user_id, request->node());
  if (!sealed.ok()) return kit::Reply(context, sealed.status());
  response->set_sealed_key(*std::move(sealed));
  return grpc::Status::OK;
}

grpc::Status PricingService::GetReceipt(grpc::ServerContext* context,
                                        const v1::GetReceiptRequest* request,
                                        v1::GetReceiptResponse* response) {
  absl::StatusOr<PricingCaller> caller = parts_.callers->Member(*context, SCOPE_UNSPECIFIED);
  if (!caller.ok()) return kit::Reply(context, caller.status());
  absl::StatusOr<storage::PurchaseRecord> record =
      parts_.purchases->Get(caller->user_id, request->purchase());
  if (!record.ok()) return kit::Reply(context, record.status());
  response->set_receipt_token(record->purchase().receipt_token());
  *response->mutable_receipt() = record->receipt();
  return grpc::Status::OK;
}

grpc::Status PricingService::VerifyReceipt(grpc::ServerContext* /*context*/,
                                           const v1::VerifyReceiptRequest* request,
                                           v1::VerifyReceiptResponse* response) {
  // A receipt that does not verify is an answer (valid: false), not an error.
  absl::StatusOr<v1::Receipt> receipt =
      pricing::VerifyReceipt(request->receipt_token(), parts_.keys->receipt_keys().keyring());
  response->set_valid(receipt.ok());
  if (receipt.ok()) *response->mutable_receipt() = *std::move(receipt);
  return grpc::Status::OK;
}

grpc::Status PricingService::ListEarnings(grpc::ServerContext* context,
                                          const v1::ListEarningsRequest* request,
                                          v1::ListEarningsResponse* response) {
  absl::StatusOr<PricingCaller> caller =
      parts_.callers->Self(*context, SCOPE_EARNINGS_READ, request->parent(), "parent");
  if (!caller.ok()) return kit::Reply(context, caller.status());
  return kit::Reply(context, parts_.earnings->List(caller->user_id, *request), response);
}

grpc::Status PricingService::ListPricingKeys(grpc::ServerContext* /*context*/,
                                             const v1::ListPricingKeysRequest* /*request*/,
                                             v1::ListPricingKeysResponse* response) {
  for (const common::v1::PublicKey& key : parts_.keys->public_keys()) *response->add_keys() = key;
  return grpc::Status::OK;
}

grpc::Status PricingService::GetFiatRates(grpc::ServerContext* /*context*/,
                                          const v1::GetFiatRatesRequest* /*request*/,
                                          v1::GetFiatRatesResponse* response) {
  *response->mutable_rates() = parts_.settings->Get().fiat_rates();
  return grpc::Status::OK;
}

}  // namespace bitcontent::pricing
