// Purchases against a real ledger behind the real wallet gRPC service: the exact split in
// every wallet, a double click charging once, re-download free, insufficient funds moving
// nothing (and the same error on retry), expired quotes, the crash window between the
// ledger's commit and pricing's record, API key spend limits, paywall webhooks, and
// buying a subject in one call without a quote.
#include <catch2/catch.hpp>
#include <thread>

#include "absl/time/clock.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "services/pricing/access.h"
#include "services/pricing/expired_records.h"
#include "tests/unit/pricing/pricing_fixture.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::pricing::testing {
namespace {

common::v1::ErrorReason ReasonOf(const absl::Status& status) {
  return kit::DetailsOf(status).reason();
}

v1::SplitRule OwnerPublisherUploader() {
  v1::SplitRule rule;
  for (const auto& [role, points] :
       {std::pair{v1::RECIPIENT_ROLE_OWNER, 7000u}, std::pair{v1::RECIPIENT_ROLE_PUBLISHER, 2000u},
        std::pair{v1::RECIPIENT_ROLE_UPLOADER, 1000u}}) {
    v1::SplitRecipient* recipient = rule.add_recipients();
    recipient->set_role(role);
    recipient->set_basis_points(points);
  }
  return rule;
}

// Passes the chain to the ledger, then loses the answer, as when pricing dies right
// after the ledger committed.
class AnswerLost final : public PurchaseLedger {
 public:
  explicit AnswerLost(PurchaseLedger* ledger) : ledger_(ledger) {}
  absl::StatusOr<std::string> MemberAccount(std::string_view user_id) override {
    return ledger_->MemberAccount(user_id);
  }
  absl::StatusOr<std::string> PlatformFeesAccount() override {
    return ledger_->PlatformFeesAccount();
  }
  absl::StatusOr<std::vector<wallet::v1::CreateTransferResult>> CreateTransfers(
      const std::vector<wallet::v1::Transfer>& transfers) override {
    (void)ledger_->CreateTransfers(transfers);
    return absl::UnavailableError("pricing stopped before the answer came");
  }
  absl::StatusOr<size_t> CountTransfers(const std::vector<std::string>& ids) override {
    return ledger_->CountTransfers(ids);
  }
  absl::StatusOr<uint64_t> AvailableMsat(std::string_view account_id) override {
    return ledger_->AvailableMsat(account_id);
  }

 private:
  PurchaseLedger* const ledger_;
};

}  // namespace

TEST_CASE("A purchase pays each wallet its exact share, once, and re-downloads are free") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const std::string owner = ids::NewId(), uploader = ids::NewId(), buyer = ids::NewId();
  const std::string node = pricing.NewFile(owner, uploader);
  pricing.Sell(owner, node, 1001, OwnerPublisherUploader());
  pricing.wallet().Fund(buyer, 5000);

  const v1::Quote quote = pricing.Quote(buyer, node);
  CHECK(quote.amount_msat() == 1001);
  CHECK_FALSE(quote.already_entitled());
  REQUIRE(quote.lines_size() == 4);
  CHECK(quote.lines(2).user() == "users/" + uploader);
  const v1::Purchase purchase = Ok(pricing.Pay(buyer, quote.quote_token()));
  CHECK(purchase.amount_msat() == 1001);
  CHECK(purchase.transfer_ids_size() == 4);
  // Fee 50; rest 951 -> 666 owner, 190 publisher (the owner again), 95 uploader.
  CHECK(pricing.wallet().Balance(buyer) == 5000 - 1001);
  CHECK(pricing.wallet().Balance(owner) == 666 + 190);
  CHECK(pricing.wallet().Balance(uploader) == 95);
  CHECK(pricing.wallet().PlatformFees() == 50);

  // A double click: the same purchase, no second charge.
  CHECK(Ok(pricing.Pay(buyer, quote.quote_token())).name() == purchase.name());
  CHECK(pricing.wallet().Balance(buyer) == 5000 - 1001);
  const v1::CheckAccessResponse access =
      Ok(CheckAccess(pricing.prices(), pricing.entitlements(), node, "users/" + buyer));
  CHECK(access.decision() == v1::ACCESS_DECISION_ENTITLED);
  CHECK(access.purchase() == purchase.name());

  // Buying again: the quote says so, and paying it charges nothing and answers the
  // purchase that granted the entitlement; no new purchase is listed.
  const v1::Quote again = pricing.Quote(buyer, node);
  CHECK(again.already_entitled());
  const v1::Purchase free = Ok(pricing.Pay(buyer, again.quote_token()));
  CHECK(free.name() == purchase.name());
  CHECK(free.entitlement() == purchase.entitlement());
  CHECK(free.quote() == purchase.quote());
  CHECK(Ok(pricing.Pay(buyer, again.quote_token(), 1)).name() == purchase.name());
  CHECK(pricing.wallet().Balance(buyer) == 5000 - 1001);

  v1::ListPurchasesRequest list;
  list.set_page_size(1);
  const v1::ListPurchasesResponse first = Ok(pricing.purchases().List(buyer, list));
  REQUIRE(first.purchases_size() == 1);
  CHECK(first.purchases(0).name() == purchase.name());
  CHECK(first.next_page_token().empty());
  CHECK(Ok(pricing.entitlements().List(buyer, {})).entitlements_size() == 1);
}

TEST_CASE("A member the file is shared with is not asked to pay") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 5000);
  pricing.nodes().Share(node, buyer);
  const v1::Quote quote = pricing.Quote(buyer, node);
  CHECK(quote.already_entitled());
  const v1::Purchase free = Ok(pricing.Pay(buyer, quote.quote_token(), 1));
  CHECK(free.amount_msat() == 0);
  CHECK(free.transfer_ids_size() == 0);
  CHECK(free.entitlement().empty());
  CHECK(Ok(pricing.Pay(buyer, quote.quote_token())).name() == free.name());
  const v1::Purchase one_call = Ok(pricing.purchases().Create(
      {.buyer_id = buyer, .subject = node, .request_id = "shared-1", .max_amount_msat = 1},
      pricing.backends(), absl::Now()));
  CHECK(one_call.amount_msat() == 0);
  // Neither a quote nor a subject: one of them is asked for; both: only one.
  const absl::Status neither =
      pricing.purchases()
          .Create({.buyer_id = buyer, .request_id = "neither"}, pricing.backends(), absl::Now())
          .status();
  CHECK(neither.message() ==
        "quote_token: is required, or a subject instead: give a quote_token (from CreateQuote) "
        "or a subject to buy at its terms now");
  const absl::Status both = pricing.purchases()
                                .Create({.buyer_id = buyer,
                                         .quote_token = quote.quote_token(),
                                         .subject = node,
                                         .request_id = "both"},
                                        pricing.backends(), absl::Now())
                                .status();
  CHECK_THAT(std::string(both.message()), Catch::EndsWith("not both"));
  CHECK(pricing.wallet().Balance(buyer) == 5000);
  CHECK(pricing.wallet().Balance(owner) == 0);
  // Nothing to list, and no entitlement that would outlive the share.
  CHECK(Ok(pricing.purchases().List(buyer, {})).purchases_size() == 0);
  CHECK(Ok(pricing.entitlements().List(buyer, {})).entitlements_size() == 0);
  CHECK(Ok(CheckAccess(pricing.prices(), pricing.entitlements(), node, "users/" + buyer))
            .decision() == v1::ACCESS_DECISION_PAYMENT_REQUIRED);
}

TEST_CASE("Many clicks at once on one quote charge once") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 10'000);
  const v1::Quote quote = pricing.Quote(buyer, node);
  std::vector<std::thread> clicks;
  std::vector<std::string> names(8);
  for (size_t i = 0; i < names.size(); ++i) {
    clicks.emplace_back([&, i] {
      absl::StatusOr<v1::Purchase> purchase = pricing.Pay(buyer, quote.quote_token());
      names[i] = purchase.ok() ? purchase->name() : purchase.status().ToString();
    });
  }
  for (std::thread& click : clicks) click.join();
  for (const std::string& name : names) CHECK(name == names[0]);
  CHECK(pricing.wallet().Balance(buyer) == 9000);
  CHECK(pricing.wallet().Balance(owner) == 950);
}

TEST_CASE("Insufficient funds moves nothing, and retrying the quote says the same") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 999);
  const v1::Quote quote = pricing.Quote(buyer, node);
  const absl::Status poor = pricing.Pay(buyer, quote.quote_token()).status();
  CHECK(absl::IsFailedPrecondition(poor));
  CHECK(ReasonOf(poor) == common::v1::ERROR_REASON_INSUFFICIENT_FUNDS);
  // What it needed and what the wallet has, and what to do.
  CHECK_THAT(std::string(poor.message()), Catch::Contains("needs 1000 msat") &&
                                              Catch::Contains("has 999 msat available") &&
                                              Catch::Contains("new quote"));
  CHECK(pricing.wallet().Balance(buyer) == 999);
  CHECK(pricing.wallet().Balance(owner) == 0);
  pricing.wallet().Fund(buyer, 1);
  const absl::Status retried = pricing.Pay(buyer, quote.quote_token()).status();
  CHECK(ReasonOf(retried) == common::v1::ERROR_REASON_INSUFFICIENT_FUNDS);
  CHECK_THAT(std::string(retried.message()),
             Catch::Contains("earlier attempt") && Catch::Contains("ask for a new quote"));
  CHECK(pricing.wallet().Balance(buyer) == 1000);
  // A new quote pays.
  CHECK(Ok(pricing.Pay(buyer, pricing.Quote(buyer, node).quote_token())).amount_msat() == 1000);
}

TEST_CASE("Expired, foreign and over-limit quotes are refused") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 5000);
  const v1::Quote quote = pricing.Quote(buyer, node);
  const absl::Status late =
      pricing.purchases()
          .Create({.buyer_id = buyer, .quote_token = quote.quote_token()}, pricing.backends(),
                  absl::Now() + absl::Seconds(kQuoteLifetimeSecondsDefault + 1))
          .status();
  CHECK(ReasonOf(late) == common::v1::ERROR_REASON_QUOTE_EXPIRED);
  CHECK(absl::IsPermissionDenied(pricing.Pay(ids::NewId(), quote.quote_token()).status()));
  CHECK(absl::IsFailedPrecondition(pricing.Pay(buyer, quote.quote_token(), 999).status()));
  std::string forged = quote.quote_token();
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  CHECK(absl::IsInvalidArgument(pricing.Pay(buyer, forged).status()));
  CHECK(pricing.wallet().Balance(buyer) == 5000);
  // The seller has nothing to buy.
  CHECK(absl::IsFailedPrecondition(pricing.TryQuote(owner, node).status()));
  CHECK(absl::IsNotFound(pricing.TryQuote(buyer, pricing.NewFile(owner)).status()));
  // What names no subject at all is the client's mistake, not something unsold.
  for (const char* malformed : {"garbage", "nodes/", "users/x/paywallResources"}) {
    INFO(malformed);
    CHECK(absl::IsInvalidArgument(pricing.TryQuote(buyer, malformed).status()));
  }
}

TEST_CASE("A crash between the ledger's commit and pricing's record: the retry finishes it") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 5000);
  AnswerLost lost(&pricing.ledger());
  PurchaseBackends dying = pricing.backends();
  dying.ledger = &lost;

  const v1::Quote quote = pricing.Quote(buyer, node);
  const absl::Status died =
      pricing.purchases()
          .Create({.buyer_id = buyer, .quote_token = quote.quote_token()}, dying, absl::Now())
          .status();
  CHECK(absl::IsUnavailable(died));
  CHECK(pricing.wallet().Balance(buyer) == 4000);  // The ledger has it...
  CHECK(Ok(CheckAccess(pricing.prices(), pricing.entitlements(), node, "users/" + buyer))
            .decision() == v1::ACCESS_DECISION_PAYMENT_REQUIRED);  // ...pricing not yet.

  // The retry finds the chain EXISTS and records it, charging nothing more.
  const v1::Purchase purchase = Ok(pricing.Pay(buyer, quote.quote_token()));
  CHECK(purchase.amount_msat() == 1000);
  CHECK(pricing.wallet().Balance(buyer) == 4000);
  CHECK(Ok(CheckAccess(pricing.prices(), pricing.entitlements(), node, "users/" + buyer))
            .decision() == v1::ACCESS_DECISION_ENTITLED);

  // Without a retry, and past the quote's expiry: Recover at the next start finishes it.
  const std::string node2 = pricing.NewFile(owner);
  pricing.Sell(owner, node2, 300);
  const v1::Quote quote2 = pricing.Quote(buyer, node2);
  CHECK(absl::IsUnavailable(
      pricing.purchases()
          .Create({.buyer_id = buyer, .quote_token = quote2.quote_token()}, dying, absl::Now())
          .status()));
  const absl::Time later = absl::Now() + absl::Hours(1);
  CHECK(Ok(pricing.purchases().Recover(pricing.backends(), later)) == 1);
  CHECK(Ok(CheckAccess(pricing.prices(), pricing.entitlements(), node2, "users/" + buyer))
            .decision() == v1::ACCESS_DECISION_ENTITLED);
  CHECK(pricing.wallet().Balance(buyer) == 3700);
  CHECK(Ok(pricing.purchases().Recover(pricing.backends(), later)) == 0);
}

TEST_CASE("Buying a subject in one call: idempotent per request_id, guarded by a price") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 5000);
  const auto buy = [&](std::string_view request_id, uint64_t max_msat = 0,
                       PurchaseBackends backends = {}) {
    return pricing.purchases().Create(
        {.buyer_id = buyer, .subject = node, .request_id = request_id, .max_amount_msat = max_msat},
        backends.catalog != nullptr ? backends : pricing.backends(), absl::Now());
  };

  // Above the guard: refused, nothing moves, and the key stays free for a real attempt.
  const absl::Status dear = buy("click-1", 999).status();
  CHECK(absl::IsFailedPrecondition(dear));
  CHECK(kit::DetailsOf(dear).metadata().at("refusal") == "PRICE_ABOVE_MAX");
  CHECK(kit::DetailsOf(dear).metadata().at("required_msat") == "1000");
  CHECK_THAT(std::string(dear.message()), Catch::Contains("the price is 1000 msat"));
  CHECK(pricing.wallet().Balance(buyer) == 5000);

  const v1::Purchase bought = Ok(buy("click-1", 1000));
  CHECK(bought.amount_msat() == 1000);
  CHECK(pricing.wallet().Balance(buyer) == 4000);
  CHECK(pricing.wallet().Balance(owner) == 950);
  // The retry names the same purchase, even after the price changed and the file left
  // sale; nothing is charged twice.
  pricing.Sell(owner, node, 3000);
  CHECK(Ok(buy("click-1", 1000)).name() == bought.name());
  REQUIRE(pricing.prices().Delete(owner, node + "/price", &pricing.nodes()).ok());
  CHECK(Ok(buy("click-1")).name() == bought.name());
  CHECK(pricing.wallet().Balance(buyer) == 4000);
  // A new key for a file no longer priced finds nothing to buy.
  CHECK(absl::IsNotFound(buy("click-2").status()));

  // A crash after the ledger's commit: the retry finishes with the terms first sent,
  // though the price changed in between.
  const std::string node2 = pricing.NewFile(owner);
  pricing.Sell(owner, node2, 300);
  AnswerLost lost(&pricing.ledger());
  PurchaseBackends dying = pricing.backends();
  dying.ledger = &lost;
  CHECK(absl::IsUnavailable(
      pricing.purchases()
          .Create({.buyer_id = buyer, .subject = node2, .request_id = "k"}, dying, absl::Now())
          .status()));
  pricing.Sell(owner, node2, 400);
  const v1::Purchase finished = Ok(pricing.purchases().Create(
      {.buyer_id = buyer, .subject = node2, .request_id = "k"}, pricing.backends(), absl::Now()));
  CHECK(finished.amount_msat() == 300);
  CHECK(pricing.wallet().Balance(buyer) == 3700);

  // The same key for another subject is a reused key, never the first purchase again;
  // a lower guard than what the key paid says so; a retry within it answers the first.
  const absl::Status other =
      pricing.purchases()
          .Create({.buyer_id = buyer, .subject = node2, .request_id = "click-1"},
                  pricing.backends(), absl::Now())
          .status();
  CHECK(absl::IsFailedPrecondition(other));
  CHECK(ReasonOf(other) == common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
  CHECK_THAT(std::string(other.message()), Catch::Contains(node));
  const absl::Status lower = buy("click-1", 999).status();
  CHECK(ReasonOf(lower) == common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
  CHECK_THAT(std::string(lower.message()), Catch::Contains("nothing more was charged"));
  CHECK(Ok(buy("click-1", 5000)).name() == bought.name());
  CHECK(pricing.wallet().Balance(buyer) == 3700);

  // Neither or both of a quote and a subject, and a subject without a request_id.
  CHECK(absl::IsInvalidArgument(
      pricing.purchases().Create({.buyer_id = buyer}, pricing.backends(), absl::Now()).status()));
  const v1::Quote quote = pricing.Quote(buyer, node2);
  CHECK(absl::IsInvalidArgument(pricing.purchases()
                                    .Create({.buyer_id = buyer,
                                             .quote_token = quote.quote_token(),
                                             .subject = node2,
                                             .request_id = "k2"},
                                            pricing.backends(), absl::Now())
                                    .status()));
  const absl::Status unkeyed = buy("").status();
  CHECK(absl::IsInvalidArgument(unkeyed));
  CHECK_THAT(std::string(unkeyed.message()), Catch::Contains("request_id"));
  CHECK(pricing.wallet().Balance(buyer) == 3700);
}

TEST_CASE("One Idempotency-Key buys one thing, with a quote as without one") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 5000);
  const std::string node2 = pricing.NewFile(owner);
  pricing.Sell(owner, node2, 300);
  const auto pay = [&](const std::string& subject, std::string_view request_id) {
    return pricing.purchases().Create({.buyer_id = buyer,
                                       .quote_token = pricing.Quote(buyer, subject).quote_token(),
                                       .request_id = request_id},
                                      pricing.backends(), absl::Now());
  };

  const v1::Purchase first = Ok(pay(node, "same-key"));
  CHECK(pricing.wallet().Balance(buyer) == 4000);
  // Another quote of another subject under the same key buys nothing.
  const absl::Status other = pay(node2, "same-key").status();
  CHECK(ReasonOf(other) == common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
  CHECK_THAT(std::string(other.message()), Catch::Contains(node) && Catch::Contains(node2));
  CHECK(pricing.wallet().Balance(buyer) == 4000);
  // Nor by subject in one call.
  CHECK(ReasonOf(pricing.purchases()
                     .Create({.buyer_id = buyer, .subject = node2, .request_id = "same-key"},
                             pricing.backends(), absl::Now())
                     .status()) == common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
  // A retry with a fresh quote of the same subject (a command run again) answers the first.
  CHECK(Ok(pay(node, "same-key")).name() == first.name());
  CHECK(pricing.wallet().Balance(buyer) == 4000);
  // A new key buys the other one.
  CHECK(Ok(pay(node2, "new-key")).amount_msat() == 300);
  CHECK(pricing.wallet().Balance(buyer) == 3700);
}

TEST_CASE("An API key pays within its spend limit, charged once per purchase") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 5000);
  const std::string key = "users/" + buyer + "/apiKeys/" + ids::NewId();
  pricing.members().SetSpendLimit(key, 1500);
  const v1::Quote quote = pricing.Quote(buyer, node);
  CHECK(Ok(pricing.Pay(buyer, quote.quote_token(), 0, key)).api_key() == key);
  CHECK(Ok(pricing.Pay(buyer, quote.quote_token(), 0, key)).api_key() == key);
  CHECK(pricing.members().Spent(key) == 1000);
  const std::string node2 = pricing.NewFile(owner);
  pricing.Sell(owner, node2, 1000);
  const absl::Status limited =
      pricing.Pay(buyer, pricing.Quote(buyer, node2).quote_token(), 0, key).status();
  CHECK(ReasonOf(limited) == common::v1::ERROR_REASON_SPEND_LIMIT_EXCEEDED);
  CHECK(pricing.wallet().Balance(buyer) == 4000);
  // Without funds the charge is given back.
  pricing.members().SetSpendLimit(key, 100'000);
  const std::string node3 = pricing.NewFile(owner);
  pricing.Sell(owner, node3, 50'000);
  CHECK(ReasonOf(pricing.Pay(buyer, pricing.Quote(buyer, node3).quote_token(), 0, key).status()) ==
        common::v1::ERROR_REASON_INSUFFICIENT_FUNDS);
  CHECK(pricing.members().Spent(key) == 1000);
}

TEST_CASE("A purchase that would pay a disabled member is refused and moves nothing") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 5000);
  const v1::Quote quote = pricing.Quote(buyer, node);
  pricing.members().Disable(owner);
  CHECK(absl::IsFailedPrecondition(pricing.Pay(buyer, quote.quote_token()).status()));
  CHECK(pricing.wallet().Balance(buyer) == 5000);
  CHECK(pricing.wallet().Balance(owner) == 0);
}

TEST_CASE("A paywall purchase stages payment.succeeded for the seller's endpoints") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const std::string seller = ids::NewId(), buyer = ids::NewId();
  v1::CreatePaywallResourceRequest create;
  create.set_parent("users/me");
  create.set_request_id("r1");
  create.mutable_paywall_resource()->set_external_id("article-7");
  create.mutable_paywall_resource()->set_title("How the ledger balances");
  create.mutable_paywall_resource()->set_price_msat(2500);
  const v1::PaywallResource resource =
      Ok(pricing.resources().Create(seller, create, &pricing.members(), absl::Now()));
  v1::CreateWebhookEndpointRequest endpoint;
  endpoint.set_parent("users/me");
  endpoint.set_request_id("e1");
  endpoint.mutable_webhook_endpoint()->set_url("http://127.0.0.1:9/hook");
  endpoint.mutable_webhook_endpoint()->add_event_types(v1::WEBHOOK_EVENT_TYPE_PAYMENT_SUCCEEDED);
  const v1::CreateWebhookEndpointResponse made =
      Ok(pricing.endpoints().Create(seller, endpoint, absl::Now()));
  pricing.wallet().Fund(buyer, 10'000);

  const v1::Purchase purchase =
      Ok(pricing.Pay(buyer, pricing.Quote(buyer, resource.name()).quote_token()));
  CHECK(pricing.wallet().Balance(seller) == 2500 - 125);
  v1::ListWebhookDeliveriesRequest request;
  const v1::ListWebhookDeliveriesResponse deliveries = Ok(pricing.deliveries().List(
      seller, std::string(kit::IdOfName(made.webhook_endpoint().name())), request));
  REQUIRE(deliveries.webhook_deliveries_size() == 1);
  CHECK(deliveries.webhook_deliveries(0).event_type() == "payment.succeeded");
  // The double click stages nothing more.
  Ok(pricing.Pay(buyer, pricing.Quote(buyer, resource.name()).quote_token()));
  CHECK(Ok(pricing.deliveries().List(
               seller, std::string(kit::IdOfName(made.webhook_endpoint().name())), request))
            .webhook_deliveries_size() == 1);
  CHECK_FALSE(purchase.receipt_token().empty());
}

TEST_CASE("Records kept for retries of quotes long expired are swept, and only those") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 10);
  // A quote asked for with a request id, and a purchase of it that fails: both kept.
  const v1::Quote quote = Ok(pricing.TryQuote(buyer, node, "retry-1"));
  CHECK(ReasonOf(pricing.Pay(buyer, quote.quote_token()).status()) ==
        common::v1::ERROR_REASON_INSUFFICIENT_FUNDS);
  const absl::Time expiry = auth::TimeFromProto(quote.expire_time());
  CHECK(Ok(SweepExpiredRecords(pricing.db(), absl::Now())) == 0);
  CHECK(Ok(SweepExpiredRecords(pricing.db(), expiry + kExpiredRecordKeep - absl::Seconds(1))) == 0);
  // The retry still gets the same quote while it is kept.
  CHECK(Ok(pricing.TryQuote(buyer, node, "retry-1")).quote_token() == quote.quote_token());
  CHECK(Ok(SweepExpiredRecords(pricing.db(), expiry + kExpiredRecordKeep + absl::Seconds(1))) == 2);
  CHECK(Ok(SweepExpiredRecords(pricing.db(), expiry + kExpiredRecordKeep + absl::Seconds(1))) == 0);
}

}  // namespace bitcontent::pricing::testing
