#include "libs/http/url.h"

#include <catch2/catch.hpp>

namespace bitcontent::http {
namespace {

TEST_CASE("http url percent-decodes, with '+' as space only in queries", "[http][url]") {
  CHECK(PercentDecode("plain", false).value() == "plain");
  CHECK(PercentDecode("a%20b+c", false).value() == "a b+c");
  CHECK(PercentDecode("a%20b+c", true).value() == "a b c");
  CHECK(PercentDecode("%2F%2f", false).value() == "//");
  CHECK(PercentDecode("%E2%82%AC", false).value() == "\xE2\x82\xAC");
  CHECK(PercentDecode("%00", false).value() == std::string(1, '\0'));
  CHECK(PercentDecode("", true).value().empty());
}

TEST_CASE("http url rejects malformed escapes", "[http][url]") {
  for (const char* bad : {"%", "%2", "%zz", "a%g1", "100%", "%%41"}) {
    INFO(bad);
    CHECK(PercentDecode(bad, true).status().code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(ParseQuery("a=%zz").status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(ParseQuery("%zz=1").status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("http url parses query strings in order", "[http][url]") {
  const absl::StatusOr<Params> query = ParseQuery("a=1&b=x%20y&flag&&c=&b=z+w&e=x=y");
  REQUIRE(query.ok());
  CHECK(*query ==
        Params{{"a", "1"}, {"b", "x y"}, {"flag", ""}, {"c", ""}, {"b", "z w"}, {"e", "x=y"}});
  CHECK(FindParam(*query, "b") == "x y");
  CHECK_FALSE(FindParam(*query, "B").has_value());
  CHECK(ParseQuery("").value().empty());
}

TEST_CASE("http url splits a target into path and query", "[http][url]") {
  TargetParts parts = SplitTarget("/v1/files?x=1?y");
  CHECK(parts.path == "/v1/files");
  CHECK(parts.query == "x=1?y");
  parts = SplitTarget("/plain");
  CHECK(parts.path == "/plain");
  CHECK(parts.query.empty());
}

}  // namespace
}  // namespace bitcontent::http
