#include "libs/http/headers.h"

#include <catch2/catch.hpp>

#include "libs/http/http_date.h"
#include "libs/http/response.h"

namespace bitcontent::http {
namespace {

TEST_CASE("http headers look names up ignoring case", "[http][headers]") {
  Headers headers{{"Content-Type", "text/plain"}, {"X-Tag", "a"}};
  headers.Add("x-tag", "b");

  CHECK(headers.Get("content-type") == "text/plain");
  CHECK(headers.Get("CONTENT-TYPE") == "text/plain");
  CHECK_FALSE(headers.Get("content").has_value());
  CHECK(headers.GetAll("X-TAG") == std::vector<std::string_view>{"a", "b"});

  headers.Set("X-Tag", "c");
  CHECK(headers.GetAll("x-tag") == std::vector<std::string_view>{"c"});
  headers.Remove("CONTENT-type");
  CHECK_FALSE(headers.Has("Content-Type"));
  CHECK(headers.size() == 1);
}

TEST_CASE("http error responses share one JSON shape", "[http][response]") {
  const Response error =
      Response::Error(404, absl::StatusCode::kNotFound, "no \"file\"\n\x01 here\\");
  CHECK(error.status == 404);
  CHECK(error.content_type == "application/json");
  CHECK(error.body == R"({"code":5,"message":"no \"file\"\n\u0001 here\\"})");
}

TEST_CASE("http dates use the IMF-fixdate format", "[http][date]") {
  CHECK(FormatHttpDate(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(FormatHttpDate(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(CurrentHttpDate().size() == 29);
}

}  // namespace
}  // namespace bitcontent::http
