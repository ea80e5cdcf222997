#include "libs/auth/bearer.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace bitcontent::auth {
namespace {

constexpr absl::string_view kScheme = "bearer";

bool IsTokenCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == '+' || c == '/';
}

// RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
bool IsB64Token(absl::string_view token) {
  size_t i = 0;
  while (i < token.size() && IsTokenCharacter(token[i])) ++i;
  if (i == 0) return false;
  while (i < token.size() && token[i] == '=') ++i;
  return i == token.size();
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

absl::StatusOr<absl::string_view> ParseBearerToken(absl::string_view authorization) {
  if (authorization.size() > kAuthorizationValueBytesMax) {
    return absl::UnauthenticatedError(
        absl::StrCat("authorization value is longer than ", kAuthorizationValueBytesMax, " bytes"));
  }
  absl::string_view rest = absl::StripAsciiWhitespace(authorization);
  if (rest.size() <= kScheme.size() || !absl::StartsWithIgnoreCase(rest, kScheme) ||
      !IsSpace(rest[kScheme.size()])) {
    return absl::UnauthenticatedError(
        "authorization must be \"Bearer <token>\" with the access token from login");
  }
  rest.remove_prefix(kScheme.size());
  while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);
  if (!IsB64Token(rest)) {
    return absl::UnauthenticatedError("malformed bearer token");
  }
  return rest;
}

}  // namespace bitcontent::auth
