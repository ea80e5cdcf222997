// The route table: every route is well formed against the contracts, issue 3's accounts
// routes are all declared with the right audience, and the public gRPC exposure follows.
#include "services/gateway/routes.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "bitcontent/pricing/v1/paywall_service.pb.h"
#include "bitcontent/pricing/v1/pricing_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "services/gateway/backends.h"
#include "services/gateway/rest_gateway.h"
#include "services/gateway/transcoder.h"

namespace bitcontent::gateway {
namespace {

std::set<std::pair<std::string, std::string>> Declared() {
  std::set<std::pair<std::string, std::string>> declared;
  for (const Route& route : Routes()) {
    if (!route.http_method.empty()) declared.emplace(route.http_method, route.path);
  }
  return declared;
}

const Route& RouteAt(absl::string_view method, absl::string_view path) {
  for (const Route& route : Routes()) {
    if (route.http_method == method && route.path == path) return route;
  }
  FAIL("no route " << method << " " << path);
  return Routes().front();
}

TEST_CASE("gateway route table maps every route to a unary method whose fields it binds",
          "[gateway][routes]") {
  LinkContracts();
  for (const Route& route : Routes()) {
    INFO(route.http_method << " " << route.path << " -> " << route.rpc);
    if (route.builtin != Builtin::kNone) {
      CHECK(route.rpc.empty());
      continue;
    }
    absl::StatusOr<Transcoder> transcoder = Transcoder::ForRoute(route);
    CHECK(transcoder.ok());
    if (!transcoder.ok()) WARN(transcoder.status().message());
  }
}

TEST_CASE("gateway route table names coalesced forms that exist, on the route's own backend",
          "[gateway][routes]") {
  LinkContracts();
  int coalesced = 0;
  for (const Route& route : Routes()) {
    if (route.coalesced_rpc.empty()) continue;
    ++coalesced;
    INFO(route.path << " -> " << route.coalesced_rpc);
    const std::string name = absl::StrReplaceAll(route.coalesced_rpc.substr(1), {{"/", "."}});
    const google::protobuf::MethodDescriptor* method =
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
    REQUIRE(method != nullptr);
    CHECK(method->input_type()->full_name() == "bitcontent.common.v1.CoalescedCallsRequest");
    CHECK(method->output_type()->full_name() == "bitcontent.common.v1.CoalescedCallsResponse");
    const std::string backend = route.rpc.substr(0, route.rpc.find(".v1."));
    CHECK(route.coalesced_rpc.rfind(backend, 0) == 0);
  }
  CHECK(coalesced >= 1);  // GET /v1/users/{user}, the hottest read.
}

TEST_CASE("gateway route table declares every accounts route of issue 3", "[gateway][routes]") {
  const std::set<std::pair<std::string, std::string>> declared = Declared();
  const std::pair<std::string, std::string> required[] = {
      {"POST", "/v1/accounts:signUp"},
      {"POST", "/v1/accounts:preLogin"},
      {"POST", "/v1/accounts:login"},
      {"POST", "/v1/accounts:refresh"},
      {"POST", "/v1/accounts:recover"},
      {"POST", "/v1/accounts:claim"},
      {"POST", "/v1/accounts:logout"},
      {"GET", "/v1/users/{user}"},
      {"GET", "/v1/users/{user}/keyBundle"},
      {"POST", "/v1/users/{user}:changePassword"},
      {"GET", "/v1/users/{user}/sessions"},
      {"POST", "/v1/users/{user}/sessions/{session}:revoke"},
      {"POST", "/v1/users/{user}/apiKeys"},
      {"GET", "/v1/users/{user}/apiKeys"},
      {"POST", "/v1/users/{user}/apiKeys/{api_key}:revoke"},
      {"GET", "/v1/users/{user}/quota"},
      {"GET", "/v1/keys"},
      {"GET", "/v1/status"},
      {"GET", "/v1/openapi.json"},
  };
  for (const auto& route : required) {
    INFO(route.first << " " << route.second);
    CHECK(declared.contains(route));
  }
}

TEST_CASE("gateway routes that need no token are exactly the public ones", "[gateway][routes]") {
  const std::set<std::string> expected_public = {
      "/v1/accounts:signUp", "/v1/accounts:preLogin", "/v1/accounts:login", "/v1/accounts:refresh",
      "/v1/accounts:recover", "/v1/accounts:claim", "/v1/keys", "/v1/serverInfo", "/v1/status",
      "/v1/openapi.json", "/l/{link}",
      // Blob reads: the READ grant in Bitcontent-Grant is the permission (public links
      // download without an account).
      "/v1/blobs/{blob}", "/v1/blobs/{blob}/chunks/{index}", "/v1/blobs/{blob}:download",
      // Anyone may check a receipt and see the operator's display rates.
      "/v1/receipts:verify", "/v1/fiatRates"};
  // Public links: the link id and the key in the URL's fragment are the permission; a
  // token, when sent, tells metadata who asks (the buyer of a priced file). Buyers see a
  // price before they pay; its seller's token shows them who in its split cannot be paid.
  const std::set<std::string> expected_optional = {"/v1/links/{link}", "/v1/links/{link}/children",
                                                   "/v1/links/{link}:issueDownloadGrant",
                                                   "/v1/nodes/{node}/price"};
  std::set<std::string> public_paths;
  std::set<std::string> optional_paths;
  for (const Route& route : Routes()) {
    if (route.http_method.empty()) continue;
    if (route.auth.access == Access::kPublic) public_paths.insert(std::string(route.path));
    if (route.auth.access == Access::kPublicOrMember) {
      optional_paths.insert(std::string(route.path));
    }
  }
  CHECK(public_paths == expected_public);
  CHECK(optional_paths == expected_optional);
  // The price is public to read only: setting and withdrawing it is the owner's.
  CHECK(RouteAt("PUT", "/v1/nodes/{node}/price").auth.access == Access::kMember);
  CHECK(RouteAt("DELETE", "/v1/nodes/{node}/price").auth.access == Access::kMember);

  // Credential attempts carry the tighter per-email limit; password changes and API
  // key management need a member's own session.
  CHECK(RouteAt("POST", "/v1/accounts:login").auth.limit == Limit::kCredential);
  // Pre-login answers alike for every email, so it is not counted against one.
  CHECK(RouteAt("POST", "/v1/accounts:preLogin").auth.limit == Limit::kDefault);
  CHECK(RouteAt("POST", "/v1/accounts:recover").auth.limit == Limit::kCredential);
  CHECK(RouteAt("POST", "/v1/accounts:claim").auth.limit == Limit::kCredential);
  CHECK_FALSE(RouteAt("POST", "/v1/users/{user}:changePassword").auth.api_keys);
  CHECK_FALSE(RouteAt("POST", "/v1/users/{user}/apiKeys").auth.api_keys);
  CHECK(RouteAt("GET", "/v1/users/{user}/quota").auth.scope == common::v1::SCOPE_FILES_READ);
}

TEST_CASE("gateway exposes member services on public gRPC and never internal ones",
          "[gateway][routes]") {
  absl::StatusOr<MethodExposure> login =
      ExposureOf("/bitcontent.accounts.v1.AccountsService/Login", Routes());
  REQUIRE(login.ok());
  CHECK(login->backend == "accounts");
  CHECK(login->auth.access == Access::kPublic);
  CHECK(login->auth.limit == Limit::kCredential);

  absl::StatusOr<MethodExposure> keys =
      ExposureOf("/bitcontent.accounts.v1.AccountsService/ListTokenSigningKeys", Routes());
  REQUIRE(keys.ok());
  CHECK(keys->auth.access == Access::kPublic);

  // A member method without a route: members' sessions only, no API keys.
  absl::StatusOr<MethodExposure> stream =
      ExposureOf("/bitcontent.streaming.v1.StreamingService/OpenStream", Routes());
  REQUIRE(stream.ok());
  CHECK(stream->backend == "streaming");
  CHECK(stream->auth.access == Access::kMember);
  CHECK_FALSE(stream->auth.api_keys);

  // Pricing's keys, on public gRPC as over REST (GET /v1/keys).
  absl::StatusOr<MethodExposure> pricing_keys =
      ExposureOf("/bitcontent.pricing.v1.PricingService/ListPricingKeys", Routes());
  REQUIRE(pricing_keys.ok());
  CHECK(pricing_keys->auth.access == Access::kPublic);
  CHECK(ExposureOf("/bitcontent.pricing.v1.PricingInternalService/CheckAccess", Routes())
            .status()
            .code() == absl::StatusCode::kNotFound);
  absl::StatusOr<MethodExposure> settings =
      ExposureOf("/bitcontent.pricing.v1.PricingAdminService/UpdatePricingSettings", Routes());
  REQUIRE(settings.ok());
  CHECK(settings->auth.access == Access::kOperator);

  // With its route: API keys too, when they hold wallet:pay.
  absl::StatusOr<MethodExposure> pay =
      ExposureOf("/bitcontent.wallet.v1.WalletService/Pay", Routes());
  REQUIRE(pay.ok());
  CHECK(pay->backend == "wallet");
  CHECK(pay->auth.api_keys);
  CHECK(pay->auth.scope == common::v1::SCOPE_WALLET_PAY);

  absl::StatusOr<MethodExposure> admin =
      ExposureOf("/bitcontent.wallet.v1.WalletAdminService/SearchPayouts", Routes());
  REQUIRE(admin.ok());
  CHECK(admin->auth.access == Access::kOperator);

  CHECK(ExposureOf("/bitcontent.accounts.v1.AccountsInternalService/AuthenticateApiKey", Routes())
            .status()
            .code() == absl::StatusCode::kNotFound);
  CHECK(ExposureOf("/grpc.health.v1.Health/Check", Routes()).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(ExposureOf("/bitcontent.common.v1.Diagnostics/Ping", Routes()).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(ExposureOf("nonsense", Routes()).status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("gateway exposes every PricingService RPC over REST with its audience",
          "[gateway][routes][pricing]") {
  LinkContracts();
  // Every method of the public pricing contract has a route (or, for its keys, a
  // public gRPC entry and GET /v1/keys): none falls back to the sessions-only default.
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "bitcontent.pricing.v1.PricingService");
  REQUIRE(service != nullptr);
  for (int i = 0; i < service->method_count(); ++i) {
    const std::string rpc =
        absl::StrCat("/bitcontent.pricing.v1.PricingService/", service->method(i)->name());
    INFO(rpc);
    bool routed = false;
    for (const Route& route : Routes()) routed = routed || route.rpc == rpc;
    CHECK(routed);
  }

  struct Expected {
    const char* method;
    const char* path;
    Access access;
    common::v1::Scope scope;
  };
  using common::v1::SCOPE_EARNINGS_READ;
  using common::v1::SCOPE_FILES_READ;
  using common::v1::SCOPE_FILES_WRITE;
  using common::v1::SCOPE_UNSPECIFIED;
  using common::v1::SCOPE_WALLET_PAY;
  using common::v1::SCOPE_WALLET_READ;
  const Expected expected[] = {
      {"PUT", "/v1/nodes/{node}/price", Access::kMember, SCOPE_FILES_WRITE},
      {"GET", "/v1/nodes/{node}/price", Access::kPublicOrMember, SCOPE_UNSPECIFIED},
      {"DELETE", "/v1/nodes/{node}/price", Access::kMember, SCOPE_FILES_WRITE},
      {"POST", "/v1/quotes", Access::kMember, SCOPE_WALLET_PAY},
      {"POST", "/v1/purchases", Access::kMember, SCOPE_WALLET_PAY},
      {"GET", "/v1/purchases/{purchase}", Access::kMember, SCOPE_WALLET_READ},
      {"GET", "/v1/purchases/{purchase}/receipt", Access::kMember, SCOPE_WALLET_READ},
      {"GET", "/v1/users/{user}/purchases", Access::kMember, SCOPE_WALLET_READ},
      {"GET", "/v1/users/{user}/entitlements", Access::kMember, SCOPE_FILES_READ},
      {"POST", "/v1/nodes/{node}:releaseFileKey", Access::kMember, SCOPE_FILES_READ},
      {"POST", "/v1/receipts:verify", Access::kPublic, SCOPE_UNSPECIFIED},
      {"GET", "/v1/users/{user}/earnings", Access::kMember, SCOPE_EARNINGS_READ},
      {"GET", "/v1/fiatRates", Access::kPublic, SCOPE_UNSPECIFIED},
      {"GET", "/v1/pricingSettings", Access::kOperator, SCOPE_UNSPECIFIED},
      {"PATCH", "/v1/pricingSettings", Access::kOperator, SCOPE_UNSPECIFIED},
  };
  for (const Expected& route : expected) {
    INFO(route.method << " " << route.path);
    const AuthPolicy& auth = RouteAt(route.method, route.path).auth;
    CHECK(auth.access == route.access);
    CHECK(auth.scope == route.scope);
    // Member routes of pricing take API keys (within their scope), and so does the price
    // its seller reads with one; operators' never.
    CHECK(auth.api_keys ==
          (route.access == Access::kMember || route.access == Access::kPublicOrMember));
  }
}

TEST_CASE("gateway pricing routes fill the request from the path and Idempotency-Key",
          "[gateway][routes][pricing]") {
  LinkContracts();
  absl::StatusOr<Transcoder> set = Transcoder::ForRoute(RouteAt("PUT", "/v1/nodes/{node}/price"));
  REQUIRE(set.ok());
  http::Request request;
  request.path_params = {{"node", "01HXNODE"}};
  // The path names the price, whatever the body says.
  request.body = R"({"price": {"name": "nodes/other/price", "downloadPriceMsat": "1500"},
                     "sealedKey": "AAEC"})";
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> parsed = set->ParseRequest(request);
  REQUIRE(parsed.ok());
  const auto& price = dynamic_cast<const pricing::v1::SetPriceRequest&>(**parsed);
  CHECK(price.price().name() == "nodes/01HXNODE/price");
  CHECK(price.price().download_price_msat() == 1500);
  CHECK(price.sealed_key() == std::string("\x00\x01\x02", 3));

  absl::StatusOr<Transcoder> earnings =
      Transcoder::ForRoute(RouteAt("GET", "/v1/users/{user}/earnings"));
  REQUIRE(earnings.ok());
  http::Request list;
  list.path_params = {{"user", "me"}};
  list.query = {{"timeRange.startTime", "2026-11-01T00:00:00Z"},
                {"time_range.end_time", "2026-12-01T00:00:00Z"},
                {"granularity", "EARNINGS_GRANULARITY_DAY"}};
  parsed = earnings->ParseRequest(list);
  INFO(parsed.status().message());
  REQUIRE(parsed.ok());
  const auto& window = dynamic_cast<const pricing::v1::ListEarningsRequest&>(**parsed);
  CHECK(window.parent() == "users/me");
  CHECK(window.granularity() == pricing::v1::EARNINGS_GRANULARITY_DAY);
  CHECK(window.time_range().end_time().seconds() - window.time_range().start_time().seconds() ==
        30 * 86400);
}

TEST_CASE("gateway routes let the path, not the body, name what they act on", "[gateway][routes]") {
  LinkContracts();
  // ChangePasswordRequest names no member: it acts on the caller's own account only.
  const std::set<std::string> unbound_allowed = {"POST /v1/users/{user}:changePassword {user}"};
  for (const Route& route : Routes()) {
    if (route.http_method.empty() || route.builtin != Builtin::kNone) continue;
    INFO(route.http_method << " " << route.path);
    std::set<std::string> bound;
    for (const Binding& binding : route.bindings) {
      for (absl::string_view rest = binding.value_template; rest.find('{') != rest.npos;) {
        rest.remove_prefix(rest.find('{'));
        bound.insert(std::string(rest.substr(0, rest.find('}') + 1)));
        rest.remove_prefix(rest.find('}') + 1);
      }
    }
    // Every path parameter fills the request: a parameter left out would let the body
    // name another resource than the URL does.
    for (absl::string_view rest = route.path; rest.find('{') != rest.npos;) {
      rest.remove_prefix(rest.find('{'));
      const std::string parameter(rest.substr(0, rest.find('}') + 1));
      rest.remove_prefix(rest.find('}') + 1);
      if (bound.contains(parameter)) continue;
      CHECK(unbound_allowed.contains(
          absl::StrCat(route.http_method, " ", route.path, " ", parameter)));
    }
    if (!route.body || (route.http_method != "PATCH" && route.http_method != "PUT")) continue;
    // A PATCH or PUT changes the resource its path names: the name its body carries
    // (top level, or in the resource message) is bound, so the path overrides it.
    const google::protobuf::MethodDescriptor* method =
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
            absl::StrReplaceAll(route.rpc.substr(1), {{"/", "."}}));
    REQUIRE(method != nullptr);
    std::set<std::string> bound_fields;
    for (const Binding& binding : route.bindings) bound_fields.emplace(binding.field);
    const google::protobuf::Descriptor& input = *method->input_type();
    if (input.FindFieldByName("name") != nullptr) CHECK(bound_fields.contains("name"));
    for (int i = 0; i < input.field_count(); ++i) {
      const google::protobuf::FieldDescriptor& field = *input.field(i);
      if (field.is_repeated() || field.message_type() == nullptr ||
          field.message_type()->FindFieldByName("name") == nullptr) {
        continue;
      }
      CHECK(bound_fields.contains(absl::StrCat(field.name(), ".name")));
    }
  }
}

TEST_CASE("gateway PATCH of a paywall resource or webhook endpoint changes the one its path names",
          "[gateway][routes][pricing]") {
  LinkContracts();
  absl::StatusOr<Transcoder> resource =
      Transcoder::ForRoute(RouteAt("PATCH", "/v1/users/{user}/paywallResources/{resource}"));
  REQUIRE(resource.ok());
  http::Request request;
  request.path_params = {{"user", "me"}, {"resource", "GARBAGE"}};
  request.body = R"({"paywallResource": {"name": "users/me/paywallResources/OTHER",
                     "title": "Taken over"}, "updateMask": "title"})";
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> parsed =
      resource->ParseRequest(request);
  REQUIRE(parsed.ok());
  const auto& update = dynamic_cast<const pricing::v1::UpdatePaywallResourceRequest&>(**parsed);
  CHECK(update.paywall_resource().name() == "users/me/paywallResources/GARBAGE");
  CHECK(update.paywall_resource().title() == "Taken over");

  absl::StatusOr<Transcoder> endpoint =
      Transcoder::ForRoute(RouteAt("PATCH", "/v1/users/{user}/webhookEndpoints/{endpoint}"));
  REQUIRE(endpoint.ok());
  request.path_params = {{"user", "me"}, {"endpoint", "E1"}};
  request.body = R"({"webhookEndpoint": {"name": "users/me/webhookEndpoints/E2"},
                     "updateMask": "description"})";
  parsed = endpoint->ParseRequest(request);
  REQUIRE(parsed.ok());
  CHECK(dynamic_cast<const pricing::v1::UpdateWebhookEndpointRequest&>(**parsed)
            .webhook_endpoint()
            .name() == "users/me/webhookEndpoints/E1");
}

TEST_CASE("gateway REST front prepares every route of the table", "[gateway][routes]") {
  LinkContracts();
  const Backends backends = Backends::FromTargets({});
  const ClientIpResolver client_ips;
  RestGateway rest({}, Routes(), nullptr, &backends, nullptr, &client_ips,
                   [] { return http::Response(); });
  const absl::Status prepared = rest.Prepare();
  INFO(prepared.message());
  REQUIRE(prepared.ok());
  http::Router router = rest.BuildRouter();
  CHECK(router.Match("POST", "/v1/users/me/sessions/01HX:revoke").outcome ==
        http::RouteMatch::Outcome::kFound);
  // A custom method on a node does not shadow the node's price, nor the other way round.
  CHECK(router.Match("POST", "/v1/nodes/01HX:releaseFileKey").outcome ==
        http::RouteMatch::Outcome::kFound);
  CHECK(router.Match("PUT", "/v1/nodes/01HX/price").outcome == http::RouteMatch::Outcome::kFound);
  CHECK(router.Match("GET", "/v1/purchases/01HX/receipt").outcome ==
        http::RouteMatch::Outcome::kFound);
}

}  // namespace
}  // namespace bitcontent::gateway
