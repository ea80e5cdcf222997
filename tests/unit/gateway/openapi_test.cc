// GET /v1/openapi.json comes from the route table: every declared route is listed with
// its method, parameters, schemas and whether it needs a token.
#include "services/gateway/openapi.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "services/gateway/routes.h"

namespace bitcontent::gateway {
namespace {

using google::protobuf::Struct;

const Struct& Field(const Struct& object, const std::string& name) {
  INFO("field " << name);
  REQUIRE(object.fields().contains(name));
  return object.fields().at(name).struct_value();
}

TEST_CASE("gateway OpenAPI document lists every declared route", "[gateway][openapi]") {
  LinkContracts();
  absl::StatusOr<std::string> json = OpenApiDocument(Routes());
  REQUIRE(json.ok());
  Struct document;
  REQUIRE(google::protobuf::util::JsonStringToMessage(*json, &document).ok());
  CHECK(document.fields().at("openapi").string_value() == "3.0.3");
  const Struct& paths = Field(document, "paths");
  const Struct& schemas = Field(Field(document, "components"), "schemas");

  for (const Route& route : Routes()) {
    if (route.http_method.empty()) continue;
    INFO(route.http_method << " " << route.path);
    const Struct& operation =
        Field(Field(paths, std::string(route.path)), absl::AsciiStrToLower(route.http_method));
    const auto& security = operation.fields().at("security").list_value();
    switch (route.auth.access) {
      case Access::kPublic:
        CHECK(security.values_size() == 0);
        break;
      case Access::kPublicOrMember:
        // OpenAPI's "optional": no requirement, or the bearer token.
        REQUIRE(security.values_size() == 2);
        CHECK(security.values(0).struct_value().fields().empty());
        CHECK(security.values(1).struct_value().fields().contains("bearerAuth"));
        break;
      case Access::kMember:
      case Access::kOperator:
        REQUIRE(security.values_size() == 1);
        CHECK(security.values(0).struct_value().fields().contains("bearerAuth"));
        break;
    }
    CHECK(operation.fields().contains("responses"));
    if (route.body) {
      const std::string ref =
          Field(Field(Field(Field(operation, "requestBody"), "content"), "application/json"),
                "schema")
              .fields()
              .at("$ref")
              .string_value();
      CHECK(schemas.fields().contains(ref.substr(ref.rfind('/') + 1)));
    }
  }

  const Struct& revoke = Field(Field(paths, "/v1/users/{user}/sessions/{session}:revoke"), "post");
  CHECK(revoke.fields().at("parameters").list_value().values_size() == 2);
  const Struct& quota = Field(Field(paths, "/v1/users/{user}/quota"), "get");
  CHECK(quota.fields().at("x-bitcontent-scope").string_value() == "files:read");
  CHECK(schemas.fields().contains("bitcontent.accounts.v1.LoginRequest"));

  // Earnings take their window as dotted query parameters.
  const Struct& earnings = Field(Field(paths, "/v1/users/{user}/earnings"), "get");
  std::set<std::string> query;
  for (const auto& parameter : earnings.fields().at("parameters").list_value().values()) {
    const auto& fields = parameter.struct_value().fields();
    if (fields.at("in").string_value() == "query") query.insert(fields.at("name").string_value());
  }
  CHECK(query.contains("timeRange.startTime"));
  CHECK(query.contains("timeRange.endTime"));
  CHECK(query.contains("granularity"));
  CHECK_FALSE(query.contains("parent"));
  CHECK(Field(Field(paths, "/v1/users/{user}/earnings"), "get")
            .fields()
            .at("x-bitcontent-scope")
            .string_value() == "earnings:read");
  CHECK(schemas.fields().contains("Error"));
}

}  // namespace
}  // namespace bitcontent::gateway
