// The gRPC surface of pricing over loopback, with access tokens signed by a test key as
// accounts signs them: who may call what (no token, a member, an API key's scopes, an
// operator), "users/me" only, error reasons in the trailer, and streaming's RPCs
// answering UNIMPLEMENTED. A paywall resource is bought end to end through the surface
// (files need metadata, which the unit tests do not run).
#include "services/pricing/pricing_service.h"

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/access_token.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/random.h"
#include "libs/ids/ids.h"
#include "libs/kit/channel.h"
#include "libs/kit/reply.h"
#include "tests/unit/pricing/pricing_fixture.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::pricing::testing {
namespace {

class Surface {
 public:
  explicit Surface(PricingFixture* pricing)
      : key_{.key_id = "test-accounts", .key_pair = crypto::NewSigningKeyPair()},
        verifier_(&ring_),
        callers_(&verifier_) {
    REQUIRE(ring_
                .Add(auth::PublicKeyOf(key_, common::v1::KEY_PURPOSE_ACCESS_TOKEN, "accounts",
                                       absl::Now() - absl::Hours(1)))
                .ok());
    const PricingParts parts = {.prices = &pricing->prices(),
                                .quotes = &pricing->quotes(),
                                .purchases = &pricing->purchases(),
                                .entitlements = &pricing->entitlements(),
                                .earnings = &pricing->earnings(),
                                .keys = &pricing->keys(),
                                .settings = &pricing->settings(),
                                .paywall_catalog = &pricing->paywall_catalog(),
                                .callers = &callers_,
                                .channels = {.metadata = nullptr,
                                             .wallet = pricing->wallet().channel(),
                                             .accounts = nullptr},
                                .wallet_accounts = &pricing->wallet_accounts(),
                                .transfer_batcher = &pricing->transfer_batcher()};
    service_ = std::make_unique<PricingService>(parts);
    internal_ = std::make_unique<PricingInternalService>(parts);
    admin_ = std::make_unique<PricingAdminService>(parts);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    builder.RegisterService(internal_.get());
    builder.RegisterService(admin_.get());
    server_ = builder.BuildAndStart();
    REQUIRE(server_ != nullptr);
    channel_ = kit::NewChannel(absl::StrCat("127.0.0.1:", port));
  }
  ~Surface() { server_->Shutdown(); }

  // A session token of `user_id` (an operator's with `operator_role`), or an API key's
  // with `scopes` when given.
  std::string Token(const std::string& user_id, bool operator_role = false,
                    std::vector<common::v1::Scope> scopes = {}) const {
    accounts::v1::AccessTokenClaims claims;
    claims.set_token_id(crypto::RandomBytes(16));
    claims.set_user("users/" + user_id);
    if (scopes.empty()) {
      claims.set_session(absl::StrCat("users/", user_id, "/sessions/", ids::NewId()));
      claims.set_operator_(operator_role);
    } else {
      claims.set_api_key(absl::StrCat("users/", user_id, "/apiKeys/", ids::NewId()));
      for (const common::v1::Scope scope : scopes) claims.add_scopes(scope);
    }
    *claims.mutable_issue_time() = auth::ProtoFromTime(absl::Now());
    *claims.mutable_expire_time() = auth::ProtoFromTime(absl::Now() + absl::Minutes(5));
    return auth::IssueAccessToken(key_, claims);
  }

  std::unique_ptr<grpc::ClientContext> Context(const std::string& token = "") const {
    auto context = kit::NewCallContext(absl::Seconds(10));
    if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
    return context;
  }

  std::unique_ptr<v1::PricingService::Stub> pricing() const {
    return v1::PricingService::NewStub(channel_);
  }
  std::unique_ptr<v1::PricingInternalService::Stub> internal() const {
    return v1::PricingInternalService::NewStub(channel_);
  }
  std::unique_ptr<v1::PricingAdminService::Stub> admin() const {
    return v1::PricingAdminService::NewStub(channel_);
  }

 private:
  auth::SigningKey key_;
  auth::KeyRing ring_;
  kit::AccessTokenVerifier verifier_;
  PricingCallerCheck callers_;
  std::unique_ptr<PricingService> service_;
  std::unique_ptr<PricingInternalService> internal_;
  std::unique_ptr<PricingAdminService> admin_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

std::string NewResource(PricingFixture& pricing, const std::string& seller, uint64_t msat) {
  v1::CreatePaywallResourceRequest create;
  create.set_parent("users/me");
  create.set_request_id(ids::NewId());
  create.mutable_paywall_resource()->set_external_id(ids::NewId());
  create.mutable_paywall_resource()->set_title("An article");
  create.mutable_paywall_resource()->set_price_msat(msat);
  return Ok(pricing.resources().Create(seller, create, &pricing.members(), absl::Now())).name();
}

}  // namespace

TEST_CASE("Over gRPC: public reads need no token, members buy, reasons reach the caller") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  Surface surface(&pricing);
  const std::string seller = ids::NewId(), buyer = ids::NewId();

  v1::ListPricingKeysResponse keys;
  REQUIRE(surface.pricing()->ListPricingKeys(surface.Context().get(), {}, &keys).ok());
  CHECK(keys.keys_size() == 3);
  v1::VerifyReceiptRequest garbage;
  garbage.set_receipt_token("a.b.c");
  v1::VerifyReceiptResponse verdict;
  REQUIRE(surface.pricing()->VerifyReceipt(surface.Context().get(), garbage, &verdict).ok());
  CHECK_FALSE(verdict.valid());

  const std::string resource = NewResource(pricing, seller, 4000);
  v1::CreateQuoteRequest quote_request;
  quote_request.set_subject(resource);
  v1::Quote quote;
  CHECK(
      surface.pricing()->CreateQuote(surface.Context().get(), quote_request, &quote).error_code() ==
      grpc::StatusCode::UNAUTHENTICATED);
  const std::string token = surface.Token(buyer);
  REQUIRE(surface.pricing()->CreateQuote(surface.Context(token).get(), quote_request, &quote).ok());

  v1::CreatePurchaseRequest buy;
  buy.set_quote_token(quote.quote_token());
  v1::Purchase purchase;
  auto poor = surface.Context(token);
  const grpc::Status refused = surface.pricing()->CreatePurchase(poor.get(), buy, &purchase);
  CHECK(refused.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(kit::ErrorDetailsOf(poor->GetServerTrailingMetadata())->reason() ==
        common::v1::ERROR_REASON_INSUFFICIENT_FUNDS);

  pricing.wallet().Fund(buyer, 10'000);
  REQUIRE(surface.pricing()->CreateQuote(surface.Context(token).get(), quote_request, &quote).ok());
  buy.set_quote_token(quote.quote_token());
  // An API key without wallet:pay may not spend.
  const std::string reader = surface.Token(buyer, false, {common::v1::SCOPE_FILES_READ});
  CHECK(surface.pricing()
            ->CreatePurchase(surface.Context(reader).get(), buy, &purchase)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  REQUIRE(surface.pricing()->CreatePurchase(surface.Context(token).get(), buy, &purchase).ok());
  CHECK(pricing.wallet().Balance(seller) == 4000 - 200);

  v1::GetReceiptRequest receipt_request;
  receipt_request.set_purchase(purchase.name());
  v1::GetReceiptResponse receipt;
  REQUIRE(
      surface.pricing()->GetReceipt(surface.Context(token).get(), receipt_request, &receipt).ok());
  v1::VerifyReceiptRequest check;
  check.set_receipt_token(receipt.receipt_token());
  REQUIRE(surface.pricing()->VerifyReceipt(surface.Context().get(), check, &verdict).ok());
  CHECK(verdict.valid());
  CHECK(verdict.receipt().purchase() == purchase.name());
  // The seller sees the sale, another member nothing.
  v1::GetPurchaseRequest get;
  get.set_name(purchase.name());
  v1::Purchase seen;
  REQUIRE(surface.pricing()
              ->GetPurchase(surface.Context(surface.Token(seller)).get(), get, &seen)
              .ok());
  CHECK(seen.buyer().empty());
  // Nor by the entitlement's name, which holds the buyer's id.
  CHECK(seen.entitlement().empty());
  CHECK(seen.amount_msat() == purchase.amount_msat());
  CHECK(surface.pricing()
            ->GetPurchase(surface.Context(surface.Token(ids::NewId())).get(), get, &seen)
            .error_code() == grpc::StatusCode::NOT_FOUND);

  v1::ListEntitlementsRequest mine;
  mine.set_parent("users/me");
  v1::ListEntitlementsResponse entitlements;
  REQUIRE(
      surface.pricing()->ListEntitlements(surface.Context(token).get(), mine, &entitlements).ok());
  CHECK(entitlements.entitlements_size() == 1);
  // Another member's is theirs (403, as for wallets); a name of nobody is malformed (400).
  mine.set_parent("users/" + seller);
  CHECK(surface.pricing()
            ->ListEntitlements(surface.Context(token).get(), mine, &entitlements)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  mine.set_parent("nodes/" + seller);
  CHECK(surface.pricing()
            ->ListEntitlements(surface.Context(token).get(), mine, &entitlements)
            .error_code() == grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("Over gRPC: operators change settings and streaming RPCs answer UNIMPLEMENTED") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  Surface surface(&pricing);
  v1::PricingSettings settings;
  CHECK(surface.admin()
            ->GetPricingSettings(surface.Context(surface.Token(ids::NewId())).get(), {}, &settings)
            .error_code() == grpc::StatusCode::PERMISSION_DENIED);
  const std::string operator_token = surface.Token(ids::NewId(), /*operator_role=*/true);
  REQUIRE(surface.admin()
              ->GetPricingSettings(surface.Context(operator_token).get(), {}, &settings)
              .ok());
  CHECK(settings.platform_fee_basis_points() == kPlatformFeeBasisPointsDefault);
  CHECK(settings.quote_lifetime_seconds() == kQuoteLifetimeSecondsDefault);
  v1::UpdatePricingSettingsRequest update;
  update.mutable_pricing_settings()->set_quote_lifetime_seconds(60);
  update.mutable_update_mask()->add_paths("quote_lifetime_seconds");
  REQUIRE(surface.admin()
              ->UpdatePricingSettings(surface.Context(operator_token).get(), update, &settings)
              .ok());
  CHECK(settings.quote_lifetime_seconds() == 60);

  v1::StreamTerms terms;
  const grpc::Status later =
      surface.internal()->GetStreamTerms(surface.Context().get(), {}, &terms);
  CHECK(later.error_code() == grpc::StatusCode::UNIMPLEMENTED);
  CHECK(later.error_message().find("later issue") != std::string::npos);
  v1::CheckAccessRequest access;
  access.set_node("nodes/" + ids::NewId());
  v1::CheckAccessResponse decision;
  REQUIRE(surface.internal()->CheckAccess(surface.Context().get(), access, &decision).ok());
  CHECK(decision.decision() == v1::ACCESS_DECISION_FREE);
}

}  // namespace bitcontent::pricing::testing
