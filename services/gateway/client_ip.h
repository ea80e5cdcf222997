// Who the client is, by address, for per-IP rate limits and for what accounts records
// of a login. Behind a load balancer or ingress the TCP peer is the proxy, so requests
// from a peer in --trusted_proxies take the client from X-Forwarded-For: the rightmost
// address not itself a trusted proxy (each proxy appends the address it saw, so
// entries to the left of that are what the client claimed and may be forged). From any
// other peer the header is ignored.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::gateway {

// The header (and gRPC metadata key) that carries the client's address.
inline constexpr absl::string_view kForwardedForKey = "x-forwarded-for";

// An IPv4 or IPv6 network, "10.0.0.0/8", "fd00::/8"; a bare address is a /32 or /128.
struct Cidr {
  std::array<uint8_t, 16> bytes = {};  // IPv4 in the first 4 bytes.
  bool v6 = false;
  int prefix_bits = 0;

  bool Contains(absl::string_view address) const;
};

// "10.0.0.0/8,192.168.1.7" -> networks; INVALID_ARGUMENT naming the bad entry.
absl::StatusOr<std::vector<Cidr>> ParseCidrs(absl::string_view list);

// The address part of a peer: "1.2.3.4:5678" -> "1.2.3.4", "[::1]:80" -> "::1",
// gRPC's "ipv4:1.2.3.4:5678" -> "1.2.3.4".
std::string ClientIpOf(absl::string_view peer);

class ClientIpResolver {
 public:
  // Most X-Forwarded-For entries read; a longer chain is cut from the left.
  static constexpr size_t kForwardedEntriesMax = 16;

  explicit ClientIpResolver(std::vector<Cidr> trusted_proxies = {})
      : trusted_(std::move(trusted_proxies)) {}

  // The client's address for a request from `peer` carrying `forwarded_for` (the
  // X-Forwarded-For value, empty when absent).
  std::string Resolve(absl::string_view peer, absl::string_view forwarded_for) const;

 private:
  bool Trusted(absl::string_view address) const;

  const std::vector<Cidr> trusted_;
};

}  // namespace bitcontent::gateway
