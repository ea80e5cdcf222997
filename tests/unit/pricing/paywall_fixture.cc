#include "tests/unit/pricing/paywall_fixture.h"

#include <catch2/catch.hpp>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/ids/ids.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::pricing::testing {

RetrySchedule FastSchedule(absl::Duration window) {
  return {.base = absl::Milliseconds(50), .delay_max = absl::Milliseconds(200), .window = window};
}

absl::StatusOr<std::string> KnownMembers::PublicKey(std::string_view user_id) {
  if (!ids_.contains(user_id)) return absl::NotFoundError("no such member");
  return std::string(32, 'p');
}

absl::Status KnownMembers::ChargeApiKey(std::string_view, uint64_t, std::string_view) {
  return absl::UnimplementedError("the paywall charges no API keys");
}

absl::Status KnownMembers::RefundApiKey(std::string_view, uint64_t, std::string_view) {
  return absl::UnimplementedError("the paywall refunds no API keys");
}

PaywallFixture::PaywallFixture(const std::string& dir, RetrySchedule schedule, bool deliver) {
  absl::StatusOr<std::unique_ptr<store::Store>> opened =
      store::Store::Open({.path = dir, .column_families = PaywallColumnFamilies()});
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  store_ = *std::move(opened);
  db_ = std::make_unique<PaywallDb>(store_.get());
  outbox_ = std::make_unique<store::Outbox>(*store_, db_->outbox);
  deliveries_ = std::make_unique<WebhookDeliveries>(*db_, outbox_.get(), schedule);
  endpoints_ = std::make_unique<WebhookEndpoints>(*db_, deliveries_.get());
  resources_ = std::make_unique<PaywallResources>(*db_);
  listener_ = std::make_unique<WebhookListener>(endpoints_.get(), deliveries_.get());
  if (deliver) {
    deliverer_ = std::make_unique<WebhookDeliverer>(
        deliveries_.get(), endpoints_.get(),
        DelivererOptions{.request_timeout = absl::Seconds(2),
                         .poll_interval = absl::Milliseconds(20)});
    deliverer_->Start();
  }
}

PaywallFixture::~PaywallFixture() {
  deliverer_.reset();  // The thread stops before what it uses goes.
}

v1::CreateWebhookEndpointResponse PaywallFixture::AddEndpoint(const std::string& user_id,
                                                              const std::string& url) {
  v1::CreateWebhookEndpointRequest request;
  request.set_parent("users/me");
  request.set_request_id(ids::NewId());
  request.mutable_webhook_endpoint()->set_url(url);
  request.mutable_webhook_endpoint()->add_event_types(v1::WEBHOOK_EVENT_TYPE_PAYMENT_SUCCEEDED);
  absl::StatusOr<v1::CreateWebhookEndpointResponse> made =
      endpoints_->Create(user_id, request, absl::Now());
  INFO(made.status().ToString());
  REQUIRE(made.ok());
  return *made;
}

std::string PaywallFixture::Purchase(const std::string& seller_id, uint64_t amount_msat) {
  const std::string resource_id = ids::NewId();
  v1::Purchase purchase;
  purchase.set_name(absl::StrCat("purchases/", ids::NewId()));
  purchase.set_subject(absl::StrCat("users/", seller_id, "/paywallResources/", resource_id));
  purchase.set_amount_msat(amount_msat);
  purchase.set_receipt_token("header.payload.signature");
  v1::Receipt receipt;
  receipt.set_buyer_ref("buyer-ref-1");
  const SubjectTerms terms = {.subject = purchase.subject(),
                              .seller = absl::StrCat("users/", seller_id),
                              .price_msat = amount_msat,
                              .split = {},
                              .revision = 0,
                              .title = {},
                              .external_id = "article-" + resource_id};
  store::WriteBatch batch;
  listener_->StagePurchase(purchase, receipt, terms, &batch);
  const absl::Status written = store_->Write(&batch, {.sync = true});
  INFO(written.ToString());
  REQUIRE(written.ok());
  listener_->PurchaseCommitted();
  return purchase.name();
}

std::vector<v1::WebhookDelivery> PaywallFixture::Deliveries(const std::string& user_id,
                                                            const std::string& endpoint_name,
                                                            v1::WebhookDeliveryState state) const {
  v1::ListWebhookDeliveriesRequest request;
  request.set_page_size(100);
  request.set_state(state);
  absl::StatusOr<v1::ListWebhookDeliveriesResponse> listed =
      deliveries_->List(user_id, std::string(kit::IdOfName(endpoint_name)), request);
  INFO(listed.status().ToString());
  REQUIRE(listed.ok());
  return {listed->webhook_deliveries().begin(), listed->webhook_deliveries().end()};
}

bool PaywallFixture::WaitFor(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace bitcontent::pricing::testing
