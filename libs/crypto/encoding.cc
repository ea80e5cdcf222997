#include "libs/crypto/encoding.h"

#include <sodium.h>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "libs/crypto/sodium_support.h"

namespace bitcontent::crypto {

std::string HexEncode(absl::string_view bytes) {
  internal::EnsureSodium();
  // sodium_bin2hex writes a terminating NUL, which the buffer holds and we then drop.
  std::string text(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(text.data(), text.size(), internal::Bytes(bytes), bytes.size());
  text.resize(bytes.size() * 2);
  return text;
}

absl::StatusOr<std::string> HexDecode(absl::string_view text) {
  internal::EnsureSodium();
  if (text.size() % 2 != 0) {
    return absl::InvalidArgumentError("hex text has an odd number of characters");
  }
  std::string bytes(text.size() / 2, '\0');
  size_t written = 0;
  // With hex_end == nullptr, libsodium fails unless it consumed every character.
  if (sodium_hex2bin(internal::MutableBytes(bytes), bytes.size(), text.data(), text.size(),
                     /*ignore=*/nullptr, &written, /*hex_end=*/nullptr) != 0 ||
      written != bytes.size()) {
    return absl::InvalidArgumentError("hex text contains a character outside 0-9, a-f, A-F");
  }
  return bytes;
}

std::string Base64UrlEncode(absl::string_view bytes) {
  internal::EnsureSodium();
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(text.data(), text.size(), internal::Bytes(bytes), bytes.size(), kVariant);
  text.resize(text.size() - 1);  // The encoded length counts the terminating NUL.
  return text;
}

absl::StatusOr<std::string> Base64UrlDecode(absl::string_view text) {
  internal::EnsureSodium();
  const int variant = absl::EndsWith(text, "=") ? sodium_base64_VARIANT_URLSAFE
                                                : sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string bytes(text.size() / 4 * 3 + 3, '\0');
  size_t written = 0;
  // With b64_end == nullptr, libsodium fails unless it consumed every character; it also
  // rejects non-zero leftover bits and, for the padded variant, missing padding.
  if (sodium_base642bin(internal::MutableBytes(bytes), bytes.size(), text.data(), text.size(),
                        /*ignore=*/nullptr, &written, /*b64_end=*/nullptr, variant) != 0) {
    return absl::InvalidArgumentError(
        "text is not valid base64url (alphabet A-Z a-z 0-9 - _, optional '=' padding)");
  }
  bytes.resize(written);
  return bytes;
}

}  // namespace bitcontent::crypto
