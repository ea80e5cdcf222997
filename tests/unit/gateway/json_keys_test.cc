#include "services/gateway/json_keys.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace bitcontent::gateway {

TEST_CASE("a JSON body naming one member twice is refused, in any spelling or depth",
          "[gateway][json]") {
  for (const std::string body :
       {R"({"amountMsat": "1", "amountMsat": "999"})", R"({"amountMsat": "1", "amount_msat": "9"})",
        R"({"a": {"b": [{"memo": "x", "me\u006do": "y"}]}})"}) {
    INFO(body);
    const absl::Status refused = CheckNoDuplicateKeys(body);
    CHECK(absl::IsInvalidArgument(refused));
    CHECK_THAT(std::string(refused.message()), Catch::Contains("twice in one object"));
  }
}

TEST_CASE("JSON bodies with each key once, or not well-formed, are left to the parser",
          "[gateway][json]") {
  for (const std::string& body : std::vector<std::string>{
           R"({})", R"({"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]})",
           R"({"s": "say \"a\": 1, \"a\": 2"})", R"([1, "x", true, null, -2.5e3])", R"({"a": )",
           R"({"a": 1 "a": 2})", std::string(1000, '[')}) {
    INFO(body);
    CHECK(CheckNoDuplicateKeys(body).ok());
  }
}

}  // namespace bitcontent::gateway
