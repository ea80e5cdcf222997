// The paywall through the gateway's REST API, as a third-party app uses it with an API
// key holding paywall:manage: a resource created once however often the POST is
// retried with its Idempotency-Key, a second one with the same external id refused,
// listed and looked up; another member's key sees none of it; an API key without the
// scope is refused; a webhook endpoint shows its secret once, never in listings.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/ids/ids.h"
#include "tests/integration/bitcache.h"
#include "tests/integration/harness.h"
#include "tests/integration/member.h"
#include "tests/integration/rest.h"

namespace bitcontent {
namespace {

using testing::ApiKey;
using testing::CheckError;
using testing::Json;
using testing::ListSize;
using testing::Object;
using testing::ReasonOf;
using testing::Rest;
using testing::Text;
using testing::Unsigned;
using testing::UserIdOf;

// A resource body with `external_id` and the split `recipients` (a JSON list).
std::string WithSplit(const std::string& external_id, const std::string& recipients) {
  return absl::StrCat(R"({"paywallResource": {"externalId": ")", external_id,
                      R"(", "title": "Split", "priceMsat": "1000", "split": {"recipients": )",
                      recipients, "}}}");
}

std::string Recipient(const std::string& role, const std::string& user, int basis_points) {
  return absl::StrCat(R"({"role": "RECIPIENT_ROLE_)", role, R"(")",
                      user.empty() ? "" : absl::StrCat(R"(, "user": ")", user, R"(")"),
                      R"(, "basisPoints": )", basis_points, "}");
}

constexpr char kArticle[] =
    R"({"paywallResource": {"externalId": "ledger-explained", "title": "The ledger, explained",
        "url": "https://news.example/ledger", "priceMsat": "250000"}})";

}  // namespace

TEST_CASE("an app with a paywall:manage key manages its resources and webhook endpoints",
          "[integration][paywall]") {
  testing::TestSuite suite({"accounts", "wallet", "pricing", "gateway"}, testing::CheapAccounts());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  testing::Member bob = testing::SignUpMember(suite, "bob@example.com");
  const std::string app = ApiKey(ada, common::v1::SCOPE_PAYWALL_MANAGE);
  const std::string other_app = ApiKey(bob, common::v1::SCOPE_PAYWALL_MANAGE);
  const std::string files_key = ApiKey(ada, common::v1::SCOPE_FILES_READ);

  const std::string resources = "/v1/users/me/paywallResources";
  const http::ClientResponse created = rest.PostKeyed(resources, kArticle, app, "article-1");
  INFO(created.body);
  REQUIRE(created.status == 200);
  const google::protobuf::Struct resource = Json(created.body);
  const std::string name = Text(resource, "name");
  CHECK(name.find("/paywallResources/") != std::string::npos);
  CHECK(Text(resource, "state") == "PAYWALL_RESOURCE_STATE_ACTIVE");
  CHECK(Text(resource, "priceMsat") == "250000");

  // The retry answers the same resource; another key with the same external id clashes.
  const http::ClientResponse replayed = rest.PostKeyed(resources, kArticle, app, "article-1");
  REQUIRE(replayed.status == 200);
  CHECK(Text(Json(replayed.body), "name") == name);
  const google::protobuf::Struct clash =
      CheckError(rest.PostKeyed(resources, kArticle, app, "article-2"), 409, 6);
  CHECK(ReasonOf(clash) == "ERROR_REASON_NAME_CONFLICT");
  // Without an Idempotency-Key a create is refused, not made twice on a retry.
  CheckError(rest.Post(resources, kArticle, app), 400, 3);

  const http::ClientResponse listed = rest.Get(resources, app);
  REQUIRE(listed.status == 200);
  CHECK(ListSize(Json(listed.body), "paywallResources") == 1);
  const http::ClientResponse found =
      rest.Get(resources + ":lookup?externalId=ledger-explained", app);
  INFO(found.body);
  REQUIRE(found.status == 200);
  CHECK(Text(Json(found.body), "name") == name);
  REQUIRE(rest.Get("/v1/" + name, app).status == 200);
  CheckError(rest.Get(resources + ":lookup?externalId=nothing", app), 404, 5);

  // Another member's key: its own list is empty, and ada's names are not its to read.
  const http::ClientResponse bobs = rest.Get(resources, other_app);
  REQUIRE(bobs.status == 200);
  CHECK(ListSize(Json(bobs.body), "paywallResources") == 0);
  CheckError(rest.Get("/v1/" + name, other_app), 403, 7);
  CheckError(rest.Get(resources + ":lookup?externalId=ledger-explained", other_app), 404, 5);
  // A key without paywall:manage is refused at the gateway.
  CheckError(rest.Get(resources, files_key), 403, 7);

  // Archiving stops sales; the resource stays readable.
  const http::ClientResponse archived = rest.PostKeyed("/v1/" + name + ":archive", "{}", app, "a");
  INFO(archived.body);
  REQUIRE(archived.status == 200);
  CHECK(Text(Json(archived.body), "state") == "PAYWALL_RESOURCE_STATE_ARCHIVED");
  CHECK(ListSize(Json(rest.Get(resources, app).body), "paywallResources") == 0);
  CHECK(ListSize(Json(rest.Get(resources + "?showArchived=true", app).body), "paywallResources") ==
        1);

  // A webhook endpoint: the secret once, in the answer that made it.
  const std::string endpoints = "/v1/users/me/webhookEndpoints";
  const std::string hook =
      R"({"webhookEndpoint": {"url": "https://news.example/hooks",
          "eventTypes": ["WEBHOOK_EVENT_TYPE_PAYMENT_SUCCEEDED"]}})";
  const http::ClientResponse endpoint = rest.PostKeyed(endpoints, hook, app, "hook-1");
  INFO(endpoint.body);
  REQUIRE(endpoint.status == 200);
  const google::protobuf::Struct made = Json(endpoint.body);
  const std::string secret = Text(made, "secret");
  CHECK(secret.size() == 49);
  CHECK(secret.rfind("whsec_", 0) == 0);
  const std::string endpoint_name = Text(Object(made, "webhookEndpoint"), "name");
  CHECK(Text(Object(made, "webhookEndpoint"), "secretPrefix") == secret.substr(0, 12));
  const http::ClientResponse hooks = rest.Get(endpoints, app);
  REQUIRE(hooks.status == 200);
  CHECK(ListSize(Json(hooks.body), "webhookEndpoints") == 1);
  CHECK(hooks.body.find(secret) == std::string::npos);
  CheckError(rest.PostKeyed(endpoints,
                            R"({"webhookEndpoint": {"url": "http://news.example/hooks",
                           "eventTypes": ["WEBHOOK_EVENT_TYPE_PAYMENT_SUCCEEDED"]}})",
                            app, "hook-2"),
             400, 3);
  // Nor where clouds answer instance metadata: pricing must not POST inside its network.
  // However it is spelt: decimal, octal, hex, or inside an IPv6 address.
  for (const char* host : {"169.254.169.254", "[fe80::1]", "0.0.0.0", "2852039166",
                           "0251.0376.0251.0376", "0xa9fea9fe", "[::ffff:169.254.169.254]",
                           "[::ffff:a9fe:a9fe]", "[64:ff9b::a9fe:a9fe]", "[fe80::1%25eth0]", "[::]",
                           "0", "%31%36%39.254.169.254", "169.254.169.254.", "%30xa9fea9fe"}) {
    const google::protobuf::Struct refused =
        CheckError(rest.PostKeyed(endpoints,
                                  absl::StrCat(R"({"webhookEndpoint": {"url": "https://)", host,
                                               R"(/latest/meta-data", "eventTypes": )",
                                               R"(["WEBHOOK_EVENT_TYPE_PAYMENT_SUCCEEDED"]}})"),
                                  app, absl::StrCat("hook-", host)),
                   400, 3);
    CHECK_THAT(Text(refused, "message"), Catch::Contains("link-local or unspecified"));
  }
  const http::ClientResponse deliveries = rest.Get("/v1/" + endpoint_name + "/deliveries", app);
  INFO(deliveries.body);
  REQUIRE(deliveries.status == 200);
  CHECK(ListSize(Json(deliveries.body), "webhookDeliveries") == 0);

  // Rotation: a new secret, the same one again for a retry of the same request.
  const http::ClientResponse rotated =
      rest.PostKeyed("/v1/" + endpoint_name + ":rotateSecret", "{}", app, "rotate-1");
  REQUIRE(rotated.status == 200);
  const std::string new_secret = Text(Json(rotated.body), "secret");
  CHECK(new_secret != secret);
  CHECK(Text(Json(rest.PostKeyed("/v1/" + endpoint_name + ":rotateSecret", "{}", app, "rotate-1")
                      .body),
             "secret") == new_secret);

  http::Headers bearer{{"Authorization", "Bearer " + app}};
  REQUIRE(rest.Send("DELETE", "/v1/" + endpoint_name, "", bearer).status == 200);
  CheckError(rest.Get("/v1/" + endpoint_name + "/deliveries", app), 404, 5);

  // Everything was written to pricing's store: a restart keeps it.
  REQUIRE(suite->StopService("pricing", absl::Seconds(10)).ok());
  REQUIRE(suite->StartService("pricing").ok());
  const http::ClientResponse after = rest.Get("/v1/" + name, app);
  INFO(after.body);
  REQUIRE(after.status == 200);
  CHECK(Text(Json(after.body), "state") == "PAYWALL_RESOURCE_STATE_ARCHIVED");
}

TEST_CASE("a paywall split pays only members who exist, each once, at create and at update",
          "[integration][paywall]") {
  testing::TestSuite suite({"accounts", "wallet", "pricing", "gateway"}, testing::CheapAccounts());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  testing::Member bob = testing::SignUpMember(suite, "bob@example.com");
  const std::string app = ApiKey(ada, common::v1::SCOPE_PAYWALL_MANAGE);
  const std::string bob_name = absl::StrCat("users/", UserIdOf(rest, bob.token));
  const std::string ghost = absl::StrCat("users/", ids::NewId());
  const std::string resources = "/v1/users/me/paywallResources";

  // A member nobody is: buyers' money would go to a wallet nobody holds.
  const google::protobuf::Struct nobody =
      CheckError(rest.PostKeyed(resources,
                                WithSplit("a", absl::StrCat("[", Recipient("OWNER", "", 5000), ", ",
                                                            Recipient("OTHER", ghost, 5000), "]")),
                                app, "k1"),
                 400, 3);
  CHECK_THAT(Text(nobody, "message"),
             Catch::Contains("paywall_resource.split.recipients[1].user: names no member"));
  // The same role twice, or the same member twice.
  CheckError(rest.PostKeyed(resources,
                            WithSplit("b", absl::StrCat("[", Recipient("OWNER", "", 5000), ", ",
                                                        Recipient("OWNER", "", 5000), "]")),
                            app, "k2"),
             400, 3);
  const google::protobuf::Struct twice = CheckError(
      rest.PostKeyed(resources,
                     WithSplit("c", absl::StrCat("[", Recipient("OTHER", bob_name, 5000), ", ",
                                                 Recipient("OTHER", bob_name, 5000), "]")),
                     app, "k3"),
      400, 3);
  CHECK_THAT(Text(twice, "message"), Catch::Contains("recipients[1].user"));
  CHECK(ListSize(Json(rest.Get(resources, app).body), "paywallResources") == 0);

  const http::ClientResponse made =
      rest.PostKeyed(resources,
                     WithSplit("d", absl::StrCat("[", Recipient("OWNER", "", 5000), ", ",
                                                 Recipient("OTHER", bob_name, 5000), "]")),
                     app, "k4");
  INFO(made.body);
  REQUIRE(made.status == 200);
  const std::string name = Text(Json(made.body), "name");
  http::Headers bearer{{"Authorization", "Bearer " + app}};
  const google::protobuf::Struct renamed = CheckError(
      rest.Send("PATCH", "/v1/" + name,
                absl::StrCat(R"({"paywallResource": {"split": {"recipients": [)",
                             Recipient("OTHER", ghost, 10000), R"(]}}, "updateMask": "split"})"),
                bearer),
      400, 3);
  CHECK_THAT(Text(renamed, "message"),
             Catch::Contains("paywall_resource.split.recipients[0].user: names no member"));
  const http::ClientResponse kept = rest.Get("/v1/" + name, app);
  REQUIRE(kept.status == 200);
  CHECK_THAT(kept.body, Catch::Contains(bob_name));
  CHECK(Unsigned(Json(kept.body), "revision") == 1);
}

TEST_CASE("a PATCH changes the paywall resource or webhook endpoint its path names, never another",
          "[integration][paywall][gateway]") {
  testing::TestSuite suite({"accounts", "wallet", "pricing", "gateway"}, testing::CheapAccounts());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  const std::string app = ApiKey(ada, common::v1::SCOPE_PAYWALL_MANAGE);
  const http::Headers bearer{{"Authorization", "Bearer " + app}};
  const std::string resources = "/v1/users/me/paywallResources";
  std::vector<std::string> names;
  for (const char* id : {"first", "second"}) {
    const http::ClientResponse made =
        rest.PostKeyed(resources,
                       absl::StrCat(R"({"paywallResource": {"externalId": ")", id,
                                    R"(", "title": "Original", "priceMsat": "1000"}})"),
                       app, id);
    REQUIRE(made.status == 200);
    names.push_back(Text(Json(made.body), "name"));
  }
  const auto retitle = [&](const std::string& path, const std::string& named) {
    return rest.Send("PATCH", path,
                     absl::StrCat(R"({"paywallResource": {"name": ")", named,
                                  R"(", "title": "Taken over"}, "updateMask": "title"})"),
                     bearer);
  };
  // The path names a resource that does not exist; the body names the second: 404, and
  // the second is untouched.
  CheckError(retitle(resources + "/" + ids::NewId(), names[1]), 404, 5);
  CHECK(Text(Json(rest.Get("/v1/" + names[1], app).body), "title") == "Original");
  // The path names the first: the first changes, whatever the body's name says.
  const http::ClientResponse first = retitle("/v1/" + names[0], names[1]);
  INFO(first.body);
  REQUIRE(first.status == 200);
  CHECK(Text(Json(first.body), "name") == names[0]);
  CHECK(Text(Json(rest.Get("/v1/" + names[0], app).body), "title") == "Taken over");
  CHECK(Text(Json(rest.Get("/v1/" + names[1], app).body), "title") == "Original");

  // Webhook endpoints alike.
  const std::string endpoints = "/v1/users/me/webhookEndpoints";
  std::vector<std::string> hooks;
  for (const char* id : {"hook-a", "hook-b"}) {
    const http::ClientResponse made =
        rest.PostKeyed(endpoints,
                       absl::StrCat(R"({"webhookEndpoint": {"url": "https://news.example/)", id,
                                    R"(", "description": "Original",
                     "eventTypes": ["WEBHOOK_EVENT_TYPE_PAYMENT_SUCCEEDED"]}})"),
                       app, id);
    REQUIRE(made.status == 200);
    hooks.push_back(Text(Object(Json(made.body), "webhookEndpoint"), "name"));
  }
  const auto describe = [&](const std::string& path, const std::string& named) {
    return rest.Send("PATCH", path,
                     absl::StrCat(R"({"webhookEndpoint": {"name": ")", named,
                                  R"(", "description": "Taken over"},
                                  "updateMask": "description"})"),
                     bearer);
  };
  CheckError(describe(endpoints + "/" + ids::NewId(), hooks[1]), 404, 5);
  const http::ClientResponse changed = describe("/v1/" + hooks[0], hooks[1]);
  INFO(changed.body);
  REQUIRE(changed.status == 200);
  CHECK(Text(Json(changed.body), "name") == hooks[0]);
  const std::string listed = rest.Get(endpoints, app).body;
  CHECK(listed.find("Taken over") != std::string::npos);
  CHECK(listed.find("Original") != std::string::npos);  // the second kept its own
}

}  // namespace bitcontent
