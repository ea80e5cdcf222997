#include "services/pricing/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"

namespace bitcontent::pricing {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

// The header of the longest a receiver should need to parse: a timestamp and two v1=.
constexpr size_t kHeaderBytesMax = 512;

std::string SignedPayload(int64_t unix_seconds, std::string_view body) {
  return absl::StrCat(unix_seconds, ".", Absl(body));
}

}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const unsigned char* made =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  // Only an allocation failure inside OpenSSL gets here: nothing sensible to sign with.
  if (made == nullptr || length != 32) std::abort();
  return std::string(reinterpret_cast<const char*>(mac), length);
}

std::string SignatureHeader(const std::vector<std::string>& secrets, int64_t unix_seconds,
                            std::string_view body) {
  const std::string payload = SignedPayload(unix_seconds, body);
  std::string header = absl::StrCat("t=", unix_seconds);
  for (const std::string& secret : secrets) {
    absl::StrAppend(&header, ",v1=", crypto::HexEncode(HmacSha256(secret, payload)));
  }
  return header;
}

absl::Status VerifySignature(std::string_view header, std::string_view body,
                             std::string_view secret, absl::Time now, absl::Duration tolerance) {
  if (header.size() > kHeaderBytesMax) {
    return absl::InvalidArgumentError("the signature header is too long");
  }
  std::optional<int64_t> timestamp;
  std::vector<std::string> signatures;
  for (absl::string_view part : absl::StrSplit(Absl(header), ',')) {
    const size_t equals = part.find('=');
    if (equals == absl::string_view::npos) {
      return absl::InvalidArgumentError("the signature header is not t=...,v1=...");
    }
    const absl::string_view key = part.substr(0, equals);
    const absl::string_view value = part.substr(equals + 1);
    int64_t seconds = 0;
    if (key == "t") {
      if (!absl::SimpleAtoi(value, &seconds)) {
        return absl::InvalidArgumentError("the signature's t= is not a number");
      }
      timestamp = seconds;
    } else if (key == "v1") {
      signatures.emplace_back(value);
    }  // Other schemes (v0=, future ones) are ignored, as Stripe's receivers do.
  }
  if (!timestamp.has_value() || signatures.empty()) {
    return absl::InvalidArgumentError("the signature header needs t= and at least one v1=");
  }
  if (absl::AbsDuration(now - absl::FromUnixSeconds(*timestamp)) > tolerance) {
    return absl::PermissionDeniedError(
        absl::StrCat("the signature's timestamp is more than ", absl::FormatDuration(tolerance),
                     " away from now: a replay, or a clock that is off"));
  }
  const std::string expected =
      crypto::HexEncode(HmacSha256(secret, SignedPayload(*timestamp, body)));
  for (const std::string& signature : signatures) {
    if (crypto::ConstantTimeEquals(signature, expected)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "no v1= signature matches this body under this secret (check the secret, and sign the "
      "raw body exactly as received)");
}

}  // namespace bitcontent::pricing
