#include "libs/http/address.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/http/absl_string.h"

namespace bitcontent::http {

absl::StatusOr<HostPort> ParseHostPort(std::string_view address) {
  const auto invalid = [address](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad address '", ToAbsl(address), "' (want host:port): ", ToAbsl(why)));
  };
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) return invalid("no port");
  std::string_view host = address.substr(0, colon);
  const std::string_view port_text = address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return invalid("IPv6 hosts need brackets");
  }
  uint32_t port = 0;
  if (port_text.empty() || !absl::SimpleAtoi(ToAbsl(port_text), &port) || port > 65535) {
    return invalid("port must be 0..65535");
  }
  return HostPort{std::string(host), static_cast<uint16_t>(port)};
}

std::string JoinHostPort(std::string_view host, uint16_t port) {
  if (host.find(':') != std::string_view::npos) return absl::StrCat("[", ToAbsl(host), "]:", port);
  return absl::StrCat(ToAbsl(host), ":", port);
}

}  // namespace bitcontent::http
