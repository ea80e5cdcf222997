// "host:port" strings: parsing a listen or connect address and formatting one back.
//
// IPv6 hosts are written in brackets ("[::1]:8080"), as in URLs. Used by the server for
// ServerOptions::address and the peer address, and by tools that take an address flag.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace bitcontent::http {

struct HostPort {
  std::string host;  // Without brackets; may be empty (":8080" means every interface).
  uint16_t port = 0;
};

// Parses "host:port", "[v6]:port" or ":port". Returns InvalidArgument naming `address`
// when the port is missing, not a number or above 65535.
absl::StatusOr<HostPort> ParseHostPort(std::string_view address);

// Formats `host` and `port` as "host:port", bracketing hosts that contain ':'.
std::string JoinHostPort(std::string_view host, uint16_t port);

}  // namespace bitcontent::http
