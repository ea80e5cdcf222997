#include "libs/crypto/aead.h"

#include <sodium.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/crypto/programmer_error.h"
#include "libs/crypto/random.h"
#include "libs/crypto/sodium_support.h"

namespace bitcontent::crypto {

static_assert(kAeadKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kAeadNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kAeadTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);

std::string AeadSeal(absl::string_view key, absl::string_view nonce, absl::string_view plaintext,
                     absl::string_view associated_data) {
  internal::EnsureSodium();
  RequireSize("crypto::AeadSeal", "key", key.size(), kAeadKeyBytes);
  RequireSize("crypto::AeadSeal", "nonce", nonce.size(), kAeadNonceBytes);
  if (plaintext.size() > kAeadPlaintextBytesMax) {
    ProgrammerError(absl::StrCat("crypto::AeadSeal: plaintext is ", plaintext.size(),
                                 " bytes, more than the limit of ", kAeadPlaintextBytesMax));
  }
  std::string ciphertext(plaintext.size() + kAeadTagBytes, '\0');
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      internal::MutableBytes(ciphertext), &written, internal::Bytes(plaintext), plaintext.size(),
      internal::Bytes(associated_data), associated_data.size(), /*nsec=*/nullptr,
      internal::Bytes(nonce), internal::Bytes(key));
  if (written != ciphertext.size()) {
    ProgrammerError("crypto::AeadSeal: libsodium wrote an unexpected ciphertext size");
  }
  return ciphertext;
}

absl::StatusOr<std::string> AeadOpen(absl::string_view key, absl::string_view nonce,
                                     absl::string_view ciphertext,
                                     absl::string_view associated_data) {
  internal::EnsureSodium();
  RequireSize("crypto::AeadOpen", "key", key.size(), kAeadKeyBytes);
  if (nonce.size() != kAeadNonceBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("nonce must be ", kAeadNonceBytes, " bytes, got ", nonce.size()));
  }
  if (ciphertext.size() > kAeadPlaintextBytesMax + kAeadTagBytes) {
    return absl::InvalidArgumentError(absl::StrCat("ciphertext is ", ciphertext.size(),
                                                   " bytes, more than the limit of ",
                                                   kAeadPlaintextBytesMax + kAeadTagBytes));
  }
  if (ciphertext.size() < kAeadTagBytes) {
    return absl::DataLossError(kAuthenticationFailedMessage);
  }
  std::string plaintext(ciphertext.size() - kAeadTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          internal::MutableBytes(plaintext), &written, /*nsec=*/nullptr,
          internal::Bytes(ciphertext), ciphertext.size(), internal::Bytes(associated_data),
          associated_data.size(), internal::Bytes(nonce), internal::Bytes(key)) != 0) {
    return absl::DataLossError(kAuthenticationFailedMessage);
  }
  return plaintext;
}

std::string WrapKey(absl::string_view wrapping_key, absl::string_view key,
                    absl::string_view associated_data) {
  RequireSize("crypto::WrapKey", "wrapping key", wrapping_key.size(), kAeadKeyBytes);
  if (key.empty() || key.size() > kWrappedKeyPlaintextBytesMax) {
    ProgrammerError(absl::StrCat("crypto::WrapKey: the key to wrap must be 1 to ",
                                 kWrappedKeyPlaintextBytesMax, " bytes, got ", key.size()));
  }
  const std::string nonce = RandomBytes(kAeadNonceBytes);
  return absl::StrCat(nonce, AeadSeal(wrapping_key, nonce, key, associated_data));
}

absl::StatusOr<std::string> UnwrapKey(absl::string_view wrapping_key, absl::string_view wrapped,
                                      absl::string_view associated_data) {
  RequireSize("crypto::UnwrapKey", "wrapping key", wrapping_key.size(), kAeadKeyBytes);
  if (wrapped.size() <= kWrapOverheadBytes ||
      wrapped.size() > kWrapOverheadBytes + kWrappedKeyPlaintextBytesMax) {
    return absl::DataLossError(kAuthenticationFailedMessage);
  }
  return AeadOpen(wrapping_key, wrapped.substr(0, kAeadNonceBytes), wrapped.substr(kAeadNonceBytes),
                  associated_data);
}

}  // namespace bitcontent::crypto
