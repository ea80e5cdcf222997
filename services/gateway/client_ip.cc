#include "services/gateway/client_ip.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace bitcontent::gateway {
namespace {

// The 16 bytes of an IPv4 or IPv6 address; false when `text` is neither.
bool ParseAddress(absl::string_view text, std::array<uint8_t, 16>* bytes, bool* v6) {
  const std::string address(text);
  bytes->fill(0);
  if (inet_pton(AF_INET, address.c_str(), bytes->data()) == 1) {
    *v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, address.c_str(), bytes->data()) == 1) {
    *v6 = true;
    return true;
  }
  return false;
}

}  // namespace

bool Cidr::Contains(absl::string_view address) const {
  std::array<uint8_t, 16> other;
  bool other_v6 = false;
  if (!ParseAddress(address, &other, &other_v6) || other_v6 != v6) return false;
  const int full_bytes = prefix_bits / 8;
  if (std::memcmp(bytes.data(), other.data(), full_bytes) != 0) return false;
  const int rest = prefix_bits % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (bytes[full_bytes] & mask) == (other[full_bytes] & mask);
}

absl::StatusOr<std::vector<Cidr>> ParseCidrs(absl::string_view list) {
  std::vector<Cidr> networks;
  for (absl::string_view entry : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    const auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("trusted proxy \"", entry, "\" ", why,
                       "; write an address or a network like 10.0.0.0/8 or fd00::/8"));
    };
    Cidr cidr;
    const size_t slash = entry.find('/');
    if (!ParseAddress(entry.substr(0, slash), &cidr.bytes, &cidr.v6)) {
      return bad("is not an IPv4 or IPv6 address");
    }
    const int width = cidr.v6 ? 128 : 32;
    cidr.prefix_bits = width;
    if (slash != absl::string_view::npos &&
        (!absl::SimpleAtoi(entry.substr(slash + 1), &cidr.prefix_bits) || cidr.prefix_bits < 0 ||
         cidr.prefix_bits > width)) {
      return bad(absl::StrCat("has a prefix length outside 0..", width));
    }
    networks.push_back(cidr);
  }
  return networks;
}

std::string ClientIpOf(absl::string_view peer) {
  if (!absl::ConsumePrefix(&peer, "ipv4:")) absl::ConsumePrefix(&peer, "ipv6:");
  if (absl::StartsWith(peer, "[")) {
    const size_t close = peer.find(']');
    return std::string(peer.substr(1, close == absl::string_view::npos ? close : close - 1));
  }
  return std::string(peer.substr(0, peer.rfind(':')));
}

bool ClientIpResolver::Trusted(absl::string_view address) const {
  return std::any_of(trusted_.begin(), trusted_.end(),
                     [&](const Cidr& network) { return network.Contains(address); });
}

std::string ClientIpResolver::Resolve(absl::string_view peer,
                                      absl::string_view forwarded_for) const {
  std::string client = ClientIpOf(peer);
  if (forwarded_for.empty() || !Trusted(client)) return client;
  std::vector<absl::string_view> hops = absl::StrSplit(forwarded_for, ',', absl::SkipWhitespace());
  if (hops.size() > kForwardedEntriesMax)
    hops.erase(hops.begin(), hops.end() - kForwardedEntriesMax);
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    const absl::string_view address = absl::StripAsciiWhitespace(*hop);
    std::array<uint8_t, 16> ignored;
    bool v6 = false;
    // Garbage in the chain ends the walk: what lies left of it cannot be trusted.
    if (!ParseAddress(address, &ignored, &v6)) return client;
    client = std::string(address);
    if (!Trusted(address)) return client;
  }
  return client;
}

}  // namespace bitcontent::gateway
