#include "libs/auth/opaque_token.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/programmer_error.h"
#include "libs/crypto/random.h"

namespace bitcontent::auth {
namespace {

constexpr size_t kPrefixBytesMax = 8;
constexpr size_t kIdTextBytes = kOpaqueTokenIdBytes * 2;
// Unpadded base64url of 32 bytes: ceil(32 * 8 / 6).
constexpr size_t kSecretTextBytes = (kOpaqueTokenSecretBytes * 8 + 5) / 6;

void RequireValidPrefix(absl::string_view function, absl::string_view prefix) {
  bool valid = !prefix.empty() && prefix.size() <= kPrefixBytesMax;
  for (char c : prefix) valid = valid && absl::ascii_islower(static_cast<unsigned char>(c));
  if (!valid) {
    crypto::ProgrammerError(absl::StrCat(function, ": token prefix must be 1 to ", kPrefixBytesMax,
                                         " lowercase letters"));
  }
}

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) {
      return false;
    }
  }
  return true;
}

}  // namespace

OpaqueToken NewOpaqueToken(absl::string_view prefix) {
  RequireValidPrefix("auth::NewOpaqueToken", prefix);
  OpaqueToken token;
  token.id = crypto::HexEncode(crypto::RandomBytes(kOpaqueTokenIdBytes));
  token.secret = crypto::RandomBytes(kOpaqueTokenSecretBytes);
  token.text = absl::StrCat(prefix, "_", token.id, "_", crypto::Base64UrlEncode(token.secret));
  return token;
}

absl::StatusOr<OpaqueToken> ParseOpaqueToken(absl::string_view text, absl::string_view prefix) {
  RequireValidPrefix("auth::ParseOpaqueToken", prefix);
  const std::string expected_start = absl::StrCat(prefix, "_");
  if (text.size() > kOpaqueTokenTextBytesMax) {
    return absl::UnauthenticatedError("malformed token");
  }
  if (!absl::StartsWith(text, expected_start)) {
    return absl::UnauthenticatedError(
        absl::StrCat("expected a token starting with '", expected_start, "'"));
  }
  absl::string_view rest = text.substr(expected_start.size());
  // The secret's base64url may itself hold '_', so split by position, not by separator.
  if (rest.size() != kIdTextBytes + 1 + kSecretTextBytes || rest[kIdTextBytes] != '_') {
    return absl::UnauthenticatedError("malformed token");
  }
  const absl::string_view id = rest.substr(0, kIdTextBytes);
  absl::StatusOr<std::string> secret =
      crypto::Base64UrlDecode(rest.substr(kIdTextBytes + 1, kSecretTextBytes));
  if (!IsLowerHex(id) || !secret.ok() || secret->size() != kOpaqueTokenSecretBytes) {
    return absl::UnauthenticatedError("malformed token");
  }
  return OpaqueToken{
      .id = std::string(id), .secret = *std::move(secret), .text = std::string(text)};
}

std::string HashOpaqueSecret(absl::string_view secret) { return crypto::Blake2b256(secret); }

bool OpaqueSecretMatches(absl::string_view hash, absl::string_view secret) {
  return hash.size() == crypto::kBlake2b256Bytes &&
         crypto::ConstantTimeEquals(hash, HashOpaqueSecret(secret));
}

}  // namespace bitcontent::auth
