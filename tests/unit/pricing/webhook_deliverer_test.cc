// The webhook deliverer against a real HTTP receiver on loopback that refuses (503, or
// is not listening at all) for a while and then accepts: every event arrives, each
// delivery id is accepted once, attempts after the first are marked as redeliveries, and
// the signature verifies with the endpoint's secret; also across a reopened store.
#include <google/protobuf/util/json_util.h>

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <thread>

#include "absl/time/clock.h"
#include "libs/ids/ids.h"
#include "libs/kit/resource_names.h"
#include "services/pricing/webhook_signature.h"
#include "tests/unit/pricing/paywall_fixture.h"
#include "tests/unit/pricing/webhook_receiver.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::pricing::testing {
namespace {

bool AllSucceeded(const std::vector<v1::WebhookDelivery>& deliveries, size_t count) {
  if (deliveries.size() != count) return false;
  for (const v1::WebhookDelivery& delivery : deliveries) {
    if (delivery.state() != v1::WEBHOOK_DELIVERY_STATE_SUCCEEDED) return false;
  }
  return true;
}

// What a receiver must see: each delivery id accepted exactly once, its first POST not
// marked as a redelivery and every later one marked, every signature valid.
void CheckReceived(const std::vector<ReceivedPost>& posts,
                   const std::vector<v1::WebhookDelivery>& deliveries, const std::string& secret) {
  std::map<std::string, std::vector<ReceivedPost>> by_delivery;
  for (const ReceivedPost& post : posts) by_delivery[post.delivery_id].push_back(post);
  REQUIRE(by_delivery.size() == deliveries.size());
  std::set<std::string> events;
  for (const v1::WebhookDelivery& delivery : deliveries) {
    const std::string id(kit::IdOfName(delivery.name()));
    INFO(id);
    REQUIRE(by_delivery.contains(id));
    const std::vector<ReceivedPost>& got = by_delivery[id];
    int accepted = 0;
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].redelivery == (i > 0));
      CHECK(got[i].event_id == delivery.event_id());
      CHECK(got[i].body == got[0].body);  // the same bytes on every attempt
      const absl::Status verified =
          VerifySignature(got[i].signature, got[i].body, secret, absl::Now());
      INFO(verified.ToString());
      CHECK(verified.ok());
      if (got[i].answered == 200) ++accepted;
    }
    CHECK(accepted == 1);
    CHECK(got.back().answered == 200);
    CHECK(delivery.attempt_count() == got.size());
    CHECK(delivery.last_http_status() == 200);
    v1::WebhookEvent event;
    REQUIRE(google::protobuf::util::JsonStringToMessage(got[0].body, &event).ok());
    CHECK(event.id() == delivery.event_id());
    CHECK(event.type() == "payment.succeeded");
    CHECK(event.payment_succeeded().amount_msat() == 1500);
    CHECK(event.payment_succeeded().buyer_ref() == "buyer-ref-1");
    events.insert(event.id());
  }
  CHECK(events.size() == deliveries.size());
}

}  // namespace

TEST_CASE("A receiver answering 503 for a while gets every event later each delivery id once") {
  store::TempDir dir;
  WebhookReceiver receiver;
  receiver.Refuse(503);
  PaywallFixture paywall(dir.Sub("db"), FastSchedule());
  const std::string seller = ids::NewId();
  const v1::CreateWebhookEndpointResponse endpoint = paywall.AddEndpoint(seller, receiver.url());
  std::set<std::string> purchases;
  for (int i = 0; i < 5; ++i) purchases.insert(paywall.Purchase(seller, 1500));

  // Refused attempts pile up, each retried with backoff.
  REQUIRE(
      PaywallFixture::WaitFor([&] { return receiver.posts().size() >= 10; }, absl::Seconds(10)));
  for (const v1::WebhookDelivery& delivery :
       paywall.Deliveries(seller, endpoint.webhook_endpoint().name())) {
    CHECK(delivery.state() == v1::WEBHOOK_DELIVERY_STATE_PENDING);
  }
  receiver.Accept();
  REQUIRE(PaywallFixture::WaitFor(
      [&] {
        return AllSucceeded(paywall.Deliveries(seller, endpoint.webhook_endpoint().name()), 5);
      },
      absl::Seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nothing more may come
  const std::vector<v1::WebhookDelivery> deliveries =
      paywall.Deliveries(seller, endpoint.webhook_endpoint().name());
  CheckReceived(receiver.posts(), deliveries, endpoint.secret());
  std::set<std::string> named;
  for (const ReceivedPost& post : receiver.posts()) {
    v1::WebhookEvent event;
    REQUIRE(google::protobuf::util::JsonStringToMessage(post.body, &event).ok());
    named.insert(event.payment_succeeded().purchase());
  }
  CHECK(named == purchases);
  CHECK(paywall
            .Deliveries(seller, endpoint.webhook_endpoint().name(),
                        v1::WEBHOOK_DELIVERY_STATE_PENDING)
            .empty());
}

TEST_CASE("A receiver not listening while the store is reopened still gets everything once") {
  store::TempDir dir;
  uint16_t port = 0;
  {
    WebhookReceiver probe;  // a free port, then nothing listens on it
    port = probe.port();
  }
  const std::string seller = ids::NewId();
  v1::CreateWebhookEndpointResponse endpoint;
  {
    PaywallFixture paywall(dir.Sub("db"), FastSchedule());
    endpoint = paywall.AddEndpoint(seller, UrlOfPort(port));
    for (int i = 0; i < 3; ++i) paywall.Purchase(seller, 1500);
    REQUIRE(PaywallFixture::WaitFor(
        [&] {
          for (const v1::WebhookDelivery& delivery :
               paywall.Deliveries(seller, endpoint.webhook_endpoint().name())) {
            if (delivery.attempt_count() < 2) return false;
          }
          return true;
        },
        absl::Seconds(10)));
    const std::vector<v1::WebhookDelivery> failing =
        paywall.Deliveries(seller, endpoint.webhook_endpoint().name());
    REQUIRE(failing.size() == 3);
    CHECK(failing[0].last_http_status() == 0);
    CHECK(!failing[0].last_error().empty());
    CHECK(failing[0].state() == v1::WEBHOOK_DELIVERY_STATE_PENDING);
  }
  {
    // Purchases committed while no deliverer runs wait in the outbox.
    PaywallFixture paywall(dir.Sub("db"), FastSchedule(), /*deliver=*/false);
    for (int i = 0; i < 2; ++i) paywall.Purchase(seller, 1500);
  }
  WebhookReceiver receiver(port);
  PaywallFixture paywall(dir.Sub("db"), FastSchedule());
  REQUIRE(PaywallFixture::WaitFor(
      [&] {
        return AllSucceeded(paywall.Deliveries(seller, endpoint.webhook_endpoint().name()), 5);
      },
      absl::Seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::vector<v1::WebhookDelivery> deliveries =
      paywall.Deliveries(seller, endpoint.webhook_endpoint().name());
  // The receiver saw only the attempts after it came up; each delivery once, accepted.
  std::map<std::string, int> accepted;
  for (const ReceivedPost& post : receiver.posts()) {
    CHECK(post.answered == 200);
    CHECK(VerifySignature(post.signature, post.body, endpoint.secret(), absl::Now()).ok());
    ++accepted[post.delivery_id];
  }
  REQUIRE(accepted.size() == 5);
  for (const v1::WebhookDelivery& delivery : deliveries) {
    CHECK(accepted[std::string(kit::IdOfName(delivery.name()))] == 1);
  }
  // The three that failed before the restart come as redeliveries.
  int redeliveries = 0;
  for (const ReceivedPost& post : receiver.posts()) redeliveries += post.redelivery ? 1 : 0;
  CHECK(redeliveries == 3);
}

TEST_CASE("Retries run out to FAILED and RedeliverWebhook queues exactly one more attempt") {
  store::TempDir dir;
  WebhookReceiver receiver;
  receiver.Refuse(500);
  PaywallFixture paywall(dir.Sub("db"), FastSchedule(absl::Milliseconds(300)));
  const std::string seller = ids::NewId();
  const v1::CreateWebhookEndpointResponse endpoint = paywall.AddEndpoint(seller, receiver.url());
  const std::string& endpoint_name = endpoint.webhook_endpoint().name();
  paywall.Purchase(seller, 1500);
  REQUIRE(PaywallFixture::WaitFor(
      [&] {
        return paywall.Deliveries(seller, endpoint_name, v1::WEBHOOK_DELIVERY_STATE_FAILED)
                   .size() == 1;
      },
      absl::Seconds(10)));
  const v1::WebhookDelivery failed = paywall.Deliveries(seller, endpoint_name)[0];
  CHECK(failed.attempt_count() >= 2);
  CHECK(failed.last_http_status() == 500);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const size_t posts_when_failed = receiver.posts().size();
  CHECK(posts_when_failed == failed.attempt_count());  // no attempt after FAILED

  receiver.Accept();
  v1::RedeliverWebhookRequest request;
  request.set_name(failed.name());
  request.set_request_id("redeliver-1");
  const std::vector<std::string> ids = {seller, std::string(kit::IdOfName(endpoint_name)),
                                        std::string(kit::IdOfName(failed.name()))};
  for (int i = 0; i < 2; ++i) {  // the retry of the same request queues nothing more
    absl::StatusOr<v1::WebhookDelivery> queued =
        paywall.deliveries().Redeliver(ids[0], ids[1], ids[2], request);
    INFO(queued.status().ToString());
    REQUIRE(queued.ok());
  }
  REQUIRE(PaywallFixture::WaitFor(
      [&] { return AllSucceeded(paywall.Deliveries(seller, endpoint_name), 1); },
      absl::Seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::vector<ReceivedPost> posts = receiver.posts();
  REQUIRE(posts.size() == posts_when_failed + 1);
  CHECK(posts.back().redelivery);
  CHECK(posts.back().delivery_id == ids[2]);
  CHECK(posts.back().answered == 200);

  // Another request_id with the same body is another redelivery; a reused one with
  // another delivery is refused.
  v1::RedeliverWebhookRequest other = request;
  other.set_name(failed.name() + "x");
  CHECK(absl::IsFailedPrecondition(
      paywall.deliveries().Redeliver(ids[0], ids[1], ids[2], other).status()));
}

TEST_CASE("Deliveries list newest first and an endpoint's deletion drops its pending ones") {
  store::TempDir dir;
  PaywallFixture paywall(dir.Sub("db"), FastSchedule(), /*deliver=*/false);
  const std::string seller = ids::NewId();
  const v1::CreateWebhookEndpointResponse endpoint = paywall.AddEndpoint(seller, UrlOfPort(1));
  paywall.Purchase(seller, 1500);
  paywall.Purchase(seller, 1500);
  const std::vector<v1::WebhookDelivery> listed =
      paywall.Deliveries(seller, endpoint.webhook_endpoint().name());
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].name() > listed[1].name());
  CHECK(listed[0].state() == v1::WEBHOOK_DELIVERY_STATE_PENDING);
  CHECK(listed[0].attempt_count() == 0);
  const std::string endpoint_id(kit::IdOfName(endpoint.webhook_endpoint().name()));
  REQUIRE(paywall.endpoints().Delete(seller, endpoint_id).ok());
  CHECK(paywall.Deliveries(seller, endpoint.webhook_endpoint().name()).empty());
  // A purchase for a seller without endpoints stages nothing.
  paywall.Purchase(seller, 1500);
  CHECK(paywall.Deliveries(seller, endpoint.webhook_endpoint().name()).empty());
}

}  // namespace bitcontent::pricing::testing
