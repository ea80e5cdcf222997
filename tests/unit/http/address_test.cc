#include "libs/http/address.h"

#include <catch2/catch.hpp>

namespace bitcontent::http {
namespace {

TEST_CASE("http addresses parse host:port forms", "[http][address]") {
  absl::StatusOr<HostPort> v4 = ParseHostPort("127.0.0.1:0");
  REQUIRE(v4.ok());
  CHECK(v4->host == "127.0.0.1");
  CHECK(v4->port == 0);

  absl::StatusOr<HostPort> v6 = ParseHostPort("[::1]:8080");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 8080);

  absl::StatusOr<HostPort> any = ParseHostPort(":65535");
  REQUIRE(any.ok());
  CHECK(any->host.empty());
  CHECK(any->port == 65535);

  for (const char* bad : {"localhost", "host:", "host:70000", "host:x1", "::1:80", ""}) {
    INFO(bad);
    const absl::Status status = ParseHostPort(bad).status();
    CHECK(status.code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(status.message()), Catch::Contains(bad));
  }
}

TEST_CASE("http addresses format with brackets for IPv6", "[http][address]") {
  CHECK(JoinHostPort("127.0.0.1", 80) == "127.0.0.1:80");
  CHECK(JoinHostPort("::1", 8080) == "[::1]:8080");
}

}  // namespace
}  // namespace bitcontent::http
