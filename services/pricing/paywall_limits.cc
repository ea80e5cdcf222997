#include "services/pricing/paywall_limits.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/kit/error_details.h"

namespace bitcontent::pricing {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

// The number of UTF-8 characters in `text`; -1 when it is not valid UTF-8 or holds a
// control character.
int64_t PrintableCharacters(std::string_view text) {
  int64_t characters = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    if (lead < 0x80) {
      if (lead < 0x20 || lead == 0x7f) return -1;
      length = 1;
    } else if ((lead & 0xe0) == 0xc0 && lead >= 0xc2) {
      length = 2;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3;
    } else if ((lead & 0xf8) == 0xf0 && lead <= 0xf4) {
      length = 4;
    } else {
      return -1;
    }
    if (i + length > text.size()) return -1;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return -1;
    }
    i += length;
    ++characters;
  }
  return characters;
}

// The host of an absolute URL "scheme://host[:port]/...", lowercased; empty if none.
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

// A link-local or unspecified address given as a literal: 169.254.0.0/16 (where clouds
// answer instance metadata, credentials included), fe80::/10, 0.0.0.0 and [::]. Nothing
// a site receives webhooks on, and a way to make pricing POST inside its own network.
bool IsLinkLocalOrUnspecified(absl::string_view host) {
  const std::string lower = absl::AsciiStrToLower(host);
  if (absl::StrContains(lower, ':')) {  // IPv6
    return lower == "::" || (lower.size() > 4 && lower[0] == 'f' && lower[1] == 'e' &&
                             std::string_view("89ab").find(lower[2]) != std::string_view::npos);
  }
  const bool ipv4 = std::all_of(lower.begin(), lower.end(),
                                [](char c) { return c == '.' || absl::ascii_isdigit(c); });
  return ipv4 && (absl::StartsWith(lower, "169.254.") || absl::StartsWith(lower, "0."));
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
  const int64_t characters = PrintableCharacters(value);
  if (characters < 0) {
    return kit::FieldError(Absl(field), "must be UTF-8 text without control characters");
  }
  if (static_cast<size_t>(characters) > characters_max) {
    return kit::FieldError(
        Absl(field), absl::StrCat("is at most ", characters_max, " characters, not ", characters));
  }
  return absl::OkStatus();
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
  if (IsLinkLocalOrUnspecified(host)) {
    return kit::FieldError(Absl(field),
                           absl::StrCat("names ", host,
                                        ", a link-local or unspecified address, where no site "
                                        "receives webhooks; give your endpoint's public host"));
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::pricing
