// Reading the credential out of an `authorization` value (the HTTP header at the REST
// gateway, the gRPC metadata key on the public gRPC API): "Bearer <token>" per RFC 6750
// section 2.1, scheme matched without regard to case. Use it before VerifyAccessToken.
#pragma once

#include <cstddef>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::auth {

// The header / metadata key that carries the credential (gRPC keys are lowercase).
inline constexpr absl::string_view kAuthorizationKey = "authorization";

// Longest authorization value accepted: a full-size token plus the scheme and spaces.
inline constexpr size_t kAuthorizationValueBytesMax = 4096 + 64;

// The token in `authorization`, a view into it. Unauthenticated when the value is too
// long, the scheme is not Bearer, or the token is empty or holds characters outside the
// RFC 6750 b64token set (A-Z a-z 0-9 - . _ ~ + / and trailing '=').
absl::StatusOr<absl::string_view> ParseBearerToken(absl::string_view authorization);

}  // namespace bitcontent::auth
