// Webhook signatures, as Stripe signs its webhooks: the BitContent-Signature header is
//   t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>[,v1=<...>]
// where the HMAC key is the whole secret string ("whsec_..."), and a second v1= is
// present for 24 h after a rotation (signed with the previous secret). A receiver
// recomputes the HMAC over the exact bytes it received and accepts the event when any
// v1= matches and t is recent (which stops replays of old deliveries). VerifySignature
// is that check, for tests and as the reference for receivers (docs/webhooks.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace bitcontent::pricing {

inline constexpr char kSignatureHeader[] = "BitContent-Signature";
inline constexpr char kEventIdHeader[] = "BitContent-Event-Id";
inline constexpr char kDeliveryIdHeader[] = "BitContent-Delivery-Id";
inline constexpr char kRedeliveryHeader[] = "BitContent-Redelivery";

// How old a signature's timestamp may be (either way, for clock skew) by default.
inline constexpr absl::Duration kSignatureToleranceDefault = absl::Minutes(5);

// HMAC-SHA256 of `data` under `key` (any length, RFC 2104), 32 raw bytes (OpenSSL).
std::string HmacSha256(std::string_view key, std::string_view data);

// The header value for `body` sent at `unix_seconds`, one v1= per secret, in order
// (the current secret first).
std::string SignatureHeader(const std::vector<std::string>& secrets, int64_t unix_seconds,
                            std::string_view body);

// OK when `header` carries a v1= signature of `body` under `secret` and a timestamp
// within `tolerance` of `now`; INVALID_ARGUMENT for a malformed header, PERMISSION_DENIED
// for a wrong signature or a stale timestamp.
absl::Status VerifySignature(std::string_view header, std::string_view body,
                             std::string_view secret, absl::Time now,
                             absl::Duration tolerance = kSignatureToleranceDefault);

}  // namespace bitcontent::pricing
