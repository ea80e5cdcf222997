#include "services/pricing/paywall_limits.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/kit/error_details.h"
#include "libs/kit/shown_text.h"

namespace bitcontent::pricing {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

std::string HostOf(absl::string_view rest) {
  const size_t end = rest.find_first_of("/?#");
  absl::string_view authority = rest.substr(0, end);
  if (absl::StrContains(authority, '@')) return "";  // No credentials in webhook URLs.
  if (absl::StartsWith(authority, "[")) {
    const size_t close = authority.find(']');
    return close == absl::string_view::npos ? "" : std::string(authority.substr(1, close - 1));
  }
  return absl::AsciiStrToLower(authority.substr(0, authority.find(':')));
}

bool IsLoopbackHost(absl::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  if (!absl::ConsumePrefix(&host, "127.")) return false;
  int dots = 0;
  for (const char c : host) {
    if (c == '.') {
      ++dots;
    } else if (!absl::ascii_isdigit(c)) {
      return false;
    }
  }
  return dots == 2;
}

// Whether an IPv4 address (host byte order) is link-local (169.254.0.0/16, where clouds
// answer instance metadata, credentials included) or "this network" (0.0.0.0/8).
bool IsLinkLocalOrUnspecified4(uint32_t address) {
  return (address >> 16) == 0xa9fe || (address >> 24) == 0;
}

bool IsLinkLocalOrUnspecified6(const in6_addr& v6) {
  if (IN6_IS_ADDR_UNSPECIFIED(&v6) || IN6_IS_ADDR_LINKLOCAL(&v6)) return true;
  static constexpr uint8_t kNat64Prefix[12] = {0x00, 0x64, 0xff, 0x9b};
  const bool embeds_v4 = IN6_IS_ADDR_V4MAPPED(&v6) || IN6_IS_ADDR_V4COMPAT(&v6) ||
                         std::memcmp(v6.s6_addr, kNat64Prefix, sizeof(kNat64Prefix)) == 0;
  if (!embeds_v4) return false;
  uint32_t embedded = 0;
  std::memcpy(&embedded, v6.s6_addr + 12, sizeof(embedded));
  return IsLinkLocalOrUnspecified4(ntohl(embedded));
}

// `host` with its percent-escapes decoded, as libcurl decodes a URL's host before it
// resolves it ("%31%36%39.254.169.254" is 169.254.169.254); empty when an escape is
// broken or decodes to a byte no host holds.
std::string DecodedHost(absl::string_view host) {
  std::string decoded;
  for (size_t i = 0; i < host.size(); ++i) {
    if (host[i] != '%') {
      decoded.push_back(host[i]);
      continue;
    }
    int value = 0;
    if (i + 2 >= host.size() || !absl::ascii_isxdigit(host[i + 1]) ||
        !absl::ascii_isxdigit(host[i + 2]) || !absl::SimpleHexAtoi(host.substr(i + 1, 2), &value) ||
        value <= 0x20 || value >= 0x7f) {
      return "";
    }
    decoded.push_back(static_cast<char>(value));
    i += 2;
  }
  return decoded;
}

// A link-local or unspecified address given as a literal: 169.254.0.0/16, fe80::/10,
// 0.0.0.0/8 and [::]. Nothing a site receives webhooks on, and a way to make pricing POST
// inside its own network. Read as the resolver reads a literal, so other spellings of
// the same address count too: decimal, octal and hex IPv4 (2852039166, 0251.0376.0251.0376),
// with a trailing dot or percent-escapes, and IPv4 inside IPv6 ([::ffff:169.254.169.254],
// [64:ff9b::a9fe:a9fe]). A host name that resolves to such an address is refused when the
// delivery connects (IsForbiddenWebhookAddress).
bool IsLinkLocalOrUnspecified(absl::string_view host) {
  std::string literal = DecodedHost(host);
  // A zone (fe80::1%eth0) names an interface, not part of the address.
  literal = literal.substr(0, literal.find('%'));
  while (!literal.empty() && literal.back() == '.') literal.pop_back();
  in6_addr v6 = {};
  if (inet_pton(AF_INET6, literal.c_str(), &v6) == 1) return IsLinkLocalOrUnspecified6(v6);
  in_addr v4 = {};
  return inet_aton(literal.c_str(), &v4) != 0 && IsLinkLocalOrUnspecified4(ntohl(v4.s_addr));
}

absl::Status CheckUrlShape(std::string_view field, std::string_view url, bool* https,
                           std::string* host) {
  if (url.size() > kUrlBytesMax) {
    return kit::FieldError(Absl(field), absl::StrCat("is at most ", kUrlBytesMax, " bytes"));
  }
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return kit::FieldError(Absl(field), "must not hold spaces or control characters");
    }
  }
  absl::string_view rest = Absl(url);
  *https = absl::ConsumePrefix(&rest, "https://");
  if (!*https && !absl::ConsumePrefix(&rest, "http://")) {
    return kit::FieldError(Absl(field), "must be an absolute https:// URL");
  }
  *host = HostOf(rest);
  if (host->empty()) return kit::FieldError(Absl(field), "must name a host (and no user info)");
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckText(std::string_view field, std::string_view value, size_t characters_max,
                       bool required) {
  if (required && value.empty()) return kit::FieldError(Absl(field), "is required");
  return kit::CheckShownText(value, field, characters_max);
}

absl::Status CheckResourceUrl(std::string_view field, std::string_view url) {
  if (url.empty()) return absl::OkStatus();
  bool https = false;
  std::string host;
  return CheckUrlShape(field, url, &https, &host);
}

absl::Status CheckWebhookUrl(std::string_view field, std::string_view url) {
  if (url.empty()) return kit::FieldError(Absl(field), "is required: where events are POSTed");
  bool https = false;
  std::string host;
  if (absl::Status shape = CheckUrlShape(field, url, &https, &host); !shape.ok()) return shape;
  if (!https && !IsLoopbackHost(host)) {
    return kit::FieldError(Absl(field),
                           "must be https://; plain http:// is only for a loopback host "
                           "(127.0.0.1, [::1], localhost) during development");
  }
  if (DecodedHost(host).empty()) {
    return kit::FieldError(Absl(field), "must name a host without broken percent-escapes");
  }
  if (IsLinkLocalOrUnspecified(host)) {
    return kit::FieldError(Absl(field),
                           absl::StrCat("names ", host,
                                        ", a link-local or unspecified address, where no site "
                                        "receives webhooks; give your endpoint's public host"));
  }
  return absl::OkStatus();
}

bool IsForbiddenWebhookAddress(const sockaddr& address) {
  if (address.sa_family == AF_INET) {
    return IsLinkLocalOrUnspecified4(
        ntohl(reinterpret_cast<const sockaddr_in&>(address).sin_addr.s_addr));
  }
  if (address.sa_family == AF_INET6) {
    return IsLinkLocalOrUnspecified6(reinterpret_cast<const sockaddr_in6&>(address).sin6_addr);
  }
  return true;  // Webhooks go over IP only.
}

}  // namespace bitcontent::pricing
