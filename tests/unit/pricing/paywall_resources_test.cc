// Paywall resources and webhook endpoints over a real store: idempotent creation, unique
// external ids, explicit limits, the split rules, pagination, updates, archiving (the
// catalog's terms), endpoint URLs, secrets and their rotation.
#include <catch2/catch.hpp>
#include <set>

#include "absl/time/clock.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "services/pricing/paywall_catalog.h"
#include "tests/unit/pricing/paywall_fixture.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::pricing::testing {
namespace {

v1::CreatePaywallResourceRequest ResourceRequest(const std::string& external_id,
                                                 const std::string& request_id) {
  v1::CreatePaywallResourceRequest request;
  request.set_parent("users/me");
  request.set_request_id(request_id);
  request.mutable_paywall_resource()->set_external_id(external_id);
  request.mutable_paywall_resource()->set_title("How the ledger balances");
  request.mutable_paywall_resource()->set_price_msat(250'000);
  return request;
}

}  // namespace

TEST_CASE("Creating a resource is idempotent and external ids are unique per owner") {
  store::TempDir dir;
  PaywallFixture paywall(dir.Sub("db"), FastSchedule(), /*deliver=*/false);
  const std::string owner = ids::NewId();
  const absl::Time now = absl::Now();
  absl::StatusOr<v1::PaywallResource> made = paywall.resources().Create(
      owner, ResourceRequest("article-1", "key-1"), &paywall.members(), now);
  REQUIRE(made.ok());
  CHECK(made->state() == v1::PAYWALL_RESOURCE_STATE_ACTIVE);
  CHECK(made->revision() == 1);
  absl::StatusOr<v1::PaywallResource> again = paywall.resources().Create(
      owner, ResourceRequest("article-1", "key-1"), &paywall.members(), now);
  REQUIRE(again.ok());
  CHECK(again->name() == made->name());
  const absl::Status clash =
      paywall.resources()
          .Create(owner, ResourceRequest("article-1", "key-2"), &paywall.members(), now)
          .status();
  CHECK(absl::IsAlreadyExists(clash));
  CHECK(kit::DetailsOf(clash).reason() == common::v1::ERROR_REASON_NAME_CONFLICT);
  const absl::Status reused =
      paywall.resources()
          .Create(owner, ResourceRequest("article-2", "key-1"), &paywall.members(), now)
          .status();
  CHECK(absl::IsFailedPrecondition(reused));
  CHECK(kit::DetailsOf(reused).reason() == common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
  // Another owner may use the same external id.
  CHECK(paywall.resources()
            .Create(ids::NewId(), ResourceRequest("article-1", "key-1"), &paywall.members(), now)
            .ok());
  absl::StatusOr<v1::PaywallResource> looked = paywall.resources().Lookup(owner, "article-1");
  REQUIRE(looked.ok());
  CHECK(looked->name() == made->name());
  CHECK(absl::IsNotFound(paywall.resources().Lookup(owner, "article-9").status()));
}

TEST_CASE("Resource limits and splits are checked") {
  store::TempDir dir;
  PaywallFixture paywall(dir.Sub("db"), FastSchedule(), /*deliver=*/false);
  const std::string owner = ids::NewId();
  const auto create = [&](const v1::CreatePaywallResourceRequest& request) {
    return paywall.resources().Create(owner, request, &paywall.members(), absl::Now()).status();
  };
  CHECK(absl::IsInvalidArgument(create(ResourceRequest(std::string(257, 'a'), "k1"))));
  CHECK(create(ResourceRequest(std::string(256, 'a'), "k2")).ok());
  CHECK(absl::IsInvalidArgument(create(ResourceRequest("a", ""))));  // request_id required
  v1::CreatePaywallResourceRequest request = ResourceRequest("b", "k3");
  request.mutable_paywall_resource()->set_title(std::string(201, 't'));
  CHECK(absl::IsInvalidArgument(create(request)));
  request.mutable_paywall_resource()->set_title("ok");
  request.mutable_paywall_resource()->set_price_msat(0);
  CHECK(absl::IsInvalidArgument(create(request)));
  request.mutable_paywall_resource()->set_price_msat(1000);
  request.mutable_paywall_resource()->set_url("ftp://example.com/a");
  CHECK(absl::IsInvalidArgument(create(request)));
  request.mutable_paywall_resource()->set_url("https://news.example/a");
  v1::SplitRule* split = request.mutable_paywall_resource()->mutable_split();
  v1::SplitRecipient* owner_share = split->add_recipients();
  owner_share->set_role(v1::RECIPIENT_ROLE_OWNER);
  owner_share->set_basis_points(7000);
  v1::SplitRecipient* other = split->add_recipients();
  other->set_role(v1::RECIPIENT_ROLE_OTHER);
  other->set_basis_points(2000);
  other->set_user("users/" + ids::NewId());
  CHECK(absl::IsInvalidArgument(create(request)));  // 9,000 basis points
  other->set_basis_points(3000);
  other->clear_user();
  CHECK(absl::IsInvalidArgument(create(request)));  // OTHER without a user
  other->set_user("users/" + ids::NewId());
  for (int i = 0; i < 16; ++i) split->add_recipients()->set_role(v1::RECIPIENT_ROLE_OWNER);
  CHECK(absl::IsInvalidArgument(create(request)));  // 18 recipients
  split->mutable_recipients()->DeleteSubrange(2, 16);
  // The same role twice, or the same member twice, is refused.
  v1::SplitRecipient* again = split->add_recipients();
  *again = *owner_share;
  CHECK(absl::IsInvalidArgument(create(request)));  // OWNER twice
  again->set_role(v1::RECIPIENT_ROLE_PUBLISHER);
  again->set_user(other->user());
  CHECK(absl::IsInvalidArgument(create(request)));  // the same member twice
  split->mutable_recipients()->RemoveLast();
  // A member who does not exist would be paid into a wallet nobody holds: refused.
  const absl::Status ghost =
      paywall.resources().Create(owner, request, &paywall.members(), absl::Now()).status();
  CHECK(absl::IsInvalidArgument(ghost));
  CHECK(kit::DetailsOf(ghost).field_violations(0).field() ==
        "paywall_resource.split.recipients[1].user");
  CHECK(ghost.message().find("names no member") != absl::string_view::npos);
  paywall.members().Add(std::string(kit::IdOfName(other->user())));
  absl::StatusOr<v1::PaywallResource> made =
      paywall.resources().Create(owner, request, &paywall.members(), absl::Now());
  INFO(made.status().ToString());
  REQUIRE(made.ok());

  // The catalog's terms: the owner fills the empty user; archived is not on sale.
  const PaywallCatalog catalog(&paywall.resources());
  absl::StatusOr<SubjectTerms> terms = catalog.Terms(made->name());
  REQUIRE(terms.ok());
  CHECK(terms->seller == "users/" + owner);
  CHECK(terms->price_msat == 1000);
  CHECK(terms->on_sale);
  CHECK(terms->external_id == "b");
  CHECK(terms->split.recipients(0).user() == "users/" + owner);
  CHECK(terms->split.recipients(1).user() == other->user());
  const std::string id(kit::IdOfName(made->name()));
  REQUIRE(paywall.resources().Archive(owner, id, absl::Now()).ok());
  terms = catalog.Terms(made->name());
  REQUIRE(terms.ok());
  CHECK(!terms->on_sale);
  CHECK(terms->revision == 2);
  CHECK(absl::IsNotFound(
      catalog.Terms("users/" + owner + "/paywallResources/" + ids::NewId()).status()));
  // A file is no paywall resource: the paywall's catalog reads it as no subject at all.
  CHECK(absl::IsInvalidArgument(catalog.Terms("nodes/abc").status()));
}

TEST_CASE("Resources list in pages and update by field mask") {
  store::TempDir dir;
  PaywallFixture paywall(dir.Sub("db"), FastSchedule(), /*deliver=*/false);
  const std::string owner = ids::NewId();
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<v1::PaywallResource> made = paywall.resources().Create(
        owner, ResourceRequest("a" + std::to_string(i), "k" + std::to_string(i)),
        &paywall.members(), absl::Now());
    REQUIRE(made.ok());
    names.push_back(made->name());
  }
  REQUIRE(
      paywall.resources().Archive(owner, std::string(kit::IdOfName(names[1])), absl::Now()).ok());
  v1::ListPaywallResourcesRequest list;
  list.set_page_size(2);
  std::vector<std::string> seen;
  do {
    absl::StatusOr<v1::ListPaywallResourcesResponse> page = paywall.resources().List(owner, list);
    REQUIRE(page.ok());
    for (const v1::PaywallResource& resource : page->paywall_resources())
      seen.push_back(resource.name());
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  CHECK(seen == std::vector<std::string>{names[0], names[2], names[3], names[4]});
  list.set_show_archived(true);
  list.set_page_size(0);
  CHECK(paywall.resources().List(owner, list)->paywall_resources_size() == 5);

  v1::UpdatePaywallResourceRequest update;
  update.mutable_paywall_resource()->set_title("New title");
  update.mutable_paywall_resource()->set_price_msat(99);
  update.mutable_update_mask()->add_paths("title");
  const std::string id(kit::IdOfName(names[0]));
  absl::StatusOr<v1::PaywallResource> updated =
      paywall.resources().Update(owner, id, update, &paywall.members(), absl::Now());
  REQUIRE(updated.ok());
  CHECK(updated->title() == "New title");
  CHECK(updated->price_msat() == 250'000);  // not in the mask
  CHECK(updated->revision() == 2);
  // A new split names members who exist, as at create.
  v1::UpdatePaywallResourceRequest resplit;
  v1::SplitRecipient* stranger =
      resplit.mutable_paywall_resource()->mutable_split()->add_recipients();
  stranger->set_role(v1::RECIPIENT_ROLE_OTHER);
  stranger->set_user("users/" + ids::NewId());
  stranger->set_basis_points(10'000);
  resplit.mutable_update_mask()->add_paths("split");
  const absl::Status ghost =
      paywall.resources().Update(owner, id, resplit, &paywall.members(), absl::Now()).status();
  CHECK(absl::IsInvalidArgument(ghost));
  CHECK(kit::DetailsOf(ghost).field_violations(0).field() ==
        "paywall_resource.split.recipients[0].user");
  paywall.members().Add(std::string(kit::IdOfName(stranger->user())));
  CHECK(paywall.resources().Update(owner, id, resplit, &paywall.members(), absl::Now()).ok());
  update.mutable_update_mask()->add_paths("external_id");
  CHECK(absl::IsInvalidArgument(
      paywall.resources().Update(owner, id, update, &paywall.members(), absl::Now()).status()));
}

TEST_CASE("Endpoint URLs secrets and rotation") {
  store::TempDir dir;
  PaywallFixture paywall(dir.Sub("db"), FastSchedule(), /*deliver=*/false);
  const std::string owner = ids::NewId();
  v1::CreateWebhookEndpointRequest request;
  request.set_parent("users/me");
  request.set_request_id("e1");
  request.mutable_webhook_endpoint()->add_event_types(v1::WEBHOOK_EVENT_TYPE_PAYMENT_SUCCEEDED);
  for (const char* bad : {"http://example.com/hook", "ftp://127.0.0.1/", "https://", "",
                          "https://user@example.com/"}) {
    INFO(bad);
    request.mutable_webhook_endpoint()->set_url(bad);
    CHECK(
        absl::IsInvalidArgument(paywall.endpoints().Create(owner, request, absl::Now()).status()));
  }
  request.mutable_webhook_endpoint()->set_url("https://news.example/hooks");
  const absl::Time now = absl::Now();
  absl::StatusOr<v1::CreateWebhookEndpointResponse> made =
      paywall.endpoints().Create(owner, request, now);
  REQUIRE(made.ok());
  const std::string& secret = made->secret();
  CHECK(secret.size() == 6 + 43);
  CHECK(secret.substr(0, 6) == "whsec_");
  CHECK(secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                                 6) == std::string::npos);
  CHECK(made->webhook_endpoint().secret_prefix() == secret.substr(0, 12));
  CHECK(made->webhook_endpoint().state() == v1::WEBHOOK_ENDPOINT_STATE_ENABLED);
  // Listings never show the secret.
  absl::StatusOr<v1::ListWebhookEndpointsResponse> listed = paywall.endpoints().List(owner, {});
  REQUIRE(listed.ok());
  REQUIRE(listed->webhook_endpoints_size() == 1);
  CHECK(listed->webhook_endpoints(0).DebugString().find(secret) == std::string::npos);
  request.mutable_webhook_endpoint()->set_url("http://127.0.0.1:9/hooks");
  request.set_request_id("e2");
  CHECK(paywall.endpoints().Create(owner, request, now).ok());  // loopback http is fine

  const std::string id(kit::IdOfName(made->webhook_endpoint().name()));
  v1::RotateWebhookSecretRequest rotate;
  rotate.set_name(made->webhook_endpoint().name());
  rotate.set_request_id("r1");
  absl::StatusOr<v1::CreateWebhookEndpointResponse> rotated =
      paywall.endpoints().Rotate(owner, id, rotate, now);
  REQUIRE(rotated.ok());
  CHECK(rotated->secret() != secret);
  CHECK(paywall.endpoints().Rotate(owner, id, rotate, now)->secret() == rotated->secret());
  absl::StatusOr<SigningTarget> target =
      paywall.endpoints().Target(owner, id, now + absl::Hours(23));
  REQUIRE(target.ok());
  CHECK(target->secrets == std::vector<std::string>{rotated->secret(), secret});
  target = paywall.endpoints().Target(owner, id, now + absl::Hours(25));
  CHECK(target->secrets == std::vector<std::string>{rotated->secret()});
}

}  // namespace bitcontent::pricing::testing
