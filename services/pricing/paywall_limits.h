// The paywall's limits and the checks of what apps send: text lengths and URLs (revenue
// splits: split.h), each refused with INVALID_ARGUMENT naming the field and the limit.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "bitcontent/pricing/v1/prices.pb.h"
#include "libs/split/split.h"

namespace bitcontent::pricing {

inline constexpr size_t kExternalIdCharactersMax = 256;
inline constexpr size_t kTitleCharactersMax = 200;
inline constexpr size_t kDescriptionCharactersMax = 200;
inline constexpr size_t kUrlBytesMax = 2048;
// 21 million bitcoin: no price can be more than all there will ever be.
inline constexpr uint64_t kPriceMsatMax = uint64_t{21'000'000} * 100'000'000 * 1000;
// Endpoints per owner (as Stripe allows): each event goes to every one, so this bounds
// the work one purchase makes.
inline constexpr size_t kEndpointsPerOwnerMax = 16;

// `value` is one line of text others are shown (kit::CheckShownText: valid UTF-8, no
// control, separator or bidirectional characters) of at most `characters_max`
// characters, and not empty when `required`.
absl::Status CheckText(std::string_view field, std::string_view value, size_t characters_max,
                       bool required);

// An optional resource URL: empty, or http(s) and at most kUrlBytesMax bytes.
absl::Status CheckResourceUrl(std::string_view field, std::string_view url);

// A webhook URL: https, or http only to a loopback host (127.0.0.0/8, [::1], localhost)
// for development; at most kUrlBytesMax bytes, without spaces or control characters; not
// to a link-local or unspecified address literal (169.254.0.0/16, fe80::/10, 0.0.0.0/8,
// [::]).
absl::Status CheckWebhookUrl(std::string_view field, std::string_view url);

// Whether a webhook delivery must not connect to `address`: a link-local or unspecified
// address (as CheckWebhookUrl refuses in URLs), which a host name may resolve to.
bool IsForbiddenWebhookAddress(const sockaddr& address);

// Splits are checked by CheckSplit (split.h), the one check prices share.

}  // namespace bitcontent::pricing
