// Opaque tokens: high-entropy secrets handed to a person once and stored only as a hash
// (refresh tokens, API keys, legacy claim tokens). The text is
//   <prefix>_<id>_<secret>      e.g. bck_3f9a0c1d2e4b5a69_q8Kx...(43 characters)
// where the prefix names the kind ("bcr" refresh, "bck" API key, "bcc" claim) so a token
// pasted in the wrong place is recognised, the id (16 lowercase hex characters, 64
// random bits) is the lookup key the server stores in clear, and the secret is 32 random
// bytes in unpadded base64url. The whole text is 64 characters.
//
// The server stores HashOpaqueSecret(secret) under the id. A fast hash (BLAKE2b-256) is
// right here, unlike for passwords: the secret has 256 bits of entropy, so no amount of
// hashing speed makes guessing it feasible, and checking costs microseconds per request.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::auth {

inline constexpr absl::string_view kRefreshTokenPrefix = "bcr";
inline constexpr absl::string_view kApiKeyPrefix = "bck";
inline constexpr absl::string_view kClaimTokenPrefix = "bcc";

// Random bytes behind the id (hex, so twice as many characters) and the secret.
inline constexpr size_t kOpaqueTokenIdBytes = 8;
inline constexpr size_t kOpaqueTokenSecretBytes = 32;
// Longest text ParseOpaqueToken looks at; real tokens are 64 characters.
inline constexpr size_t kOpaqueTokenTextBytesMax = 128;

struct OpaqueToken {
  // 16 lowercase hex characters; the lookup key, not secret.
  std::string id;
  // The 32 raw secret bytes (not their base64url text).
  std::string secret;
  // The whole token, to hand to the person once.
  std::string text;
};

// A fresh token of kind `prefix`. Aborts unless the prefix is 1 to 8 lowercase letters.
OpaqueToken NewOpaqueToken(absl::string_view prefix);

// Splits `text` into id and secret. Unauthenticated with "expected a token starting with
// '<prefix>_'" for another kind of token and "malformed token" for anything not in the
// exact format above.
absl::StatusOr<OpaqueToken> ParseOpaqueToken(absl::string_view text, absl::string_view prefix);

// The 32-byte BLAKE2b-256 digest of the raw secret bytes: what the server stores.
std::string HashOpaqueSecret(absl::string_view secret);

// True when `hash` (from HashOpaqueSecret) is the hash of `secret`; compared in constant
// time. False for a hash of the wrong size.
bool OpaqueSecretMatches(absl::string_view hash, absl::string_view secret);

}  // namespace bitcontent::auth
