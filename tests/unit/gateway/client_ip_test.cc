// Who the client is: the TCP peer, or behind trusted proxies what X-Forwarded-For says.
#include "services/gateway/client_ip.h"

#include <catch2/catch.hpp>

namespace bitcontent::gateway {
namespace {

std::vector<Cidr> Trusted(absl::string_view list) {
  absl::StatusOr<std::vector<Cidr>> parsed = ParseCidrs(list);
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  return *std::move(parsed);
}

TEST_CASE("gateway reads the client address out of REST and gRPC peers", "[gateway][client-ip]") {
  CHECK(ClientIpOf("127.0.0.1:5555") == "127.0.0.1");
  CHECK(ClientIpOf("[::1]:80") == "::1");
  CHECK(ClientIpOf("ipv4:10.1.2.3:40000") == "10.1.2.3");
  CHECK(ClientIpOf("ipv6:[2001:db8::1]:443") == "2001:db8::1");
}

TEST_CASE("gateway takes the client from X-Forwarded-For only behind trusted proxies",
          "[gateway][client-ip]") {
  const ClientIpResolver nobody_trusted;
  // Anyone can send the header; without trusted proxies it means nothing.
  CHECK(nobody_trusted.Resolve("203.0.113.9:4000", "1.2.3.4") == "203.0.113.9");

  const ClientIpResolver behind_lb(Trusted("10.0.0.0/8, fd00::/8"));
  CHECK(behind_lb.Resolve("10.1.2.3:4000", "198.51.100.7") == "198.51.100.7");
  // The rightmost untrusted hop: what the client itself wrote on the left is ignored.
  CHECK(behind_lb.Resolve("10.1.2.3:4000", "6.6.6.6, 198.51.100.7, 10.9.9.9") == "198.51.100.7");
  CHECK(behind_lb.Resolve("[fd00::5]:443", "2001:db8::42") == "2001:db8::42");
  // Not from a trusted peer: the header is not believed.
  CHECK(behind_lb.Resolve("198.51.100.7:4000", "1.2.3.4") == "198.51.100.7");
  // Garbage stops the walk at the last address that could be believed.
  CHECK(behind_lb.Resolve("10.1.2.3:4000", "not-an-ip, 10.4.4.4") == "10.4.4.4");
  CHECK(behind_lb.Resolve("10.1.2.3:4000", "") == "10.1.2.3");
}

TEST_CASE("gateway trusted proxy networks match by prefix and refuse bad entries",
          "[gateway][client-ip]") {
  const std::vector<Cidr> networks = Trusted("192.168.4.0/22,2001:db8::/32,172.16.0.1");
  CHECK(networks[0].Contains("192.168.7.255"));
  CHECK_FALSE(networks[0].Contains("192.168.8.0"));
  CHECK(networks[1].Contains("2001:db8:ffff::1"));
  CHECK_FALSE(networks[1].Contains("2001:db9::1"));
  CHECK(networks[2].Contains("172.16.0.1"));
  CHECK_FALSE(networks[2].Contains("172.16.0.2"));
  CHECK_FALSE(networks[0].Contains("::ffff:192.168.4.1"));  // Families do not mix.

  for (const char* bad : {"10.0.0.0/33", "fd00::/129", "example.com", "10.0.0/8", "1.2.3.4/x"}) {
    INFO(bad);
    absl::StatusOr<std::vector<Cidr>> parsed = ParseCidrs(bad);
    CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(parsed.status().message().find(bad) != absl::string_view::npos);
  }
  CHECK(Trusted("").empty());
}

}  // namespace
}  // namespace bitcontent::gateway
