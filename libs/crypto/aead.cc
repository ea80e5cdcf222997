#include "libs/crypto/aead.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <climits>
#include <cstring>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/crypto/programmer_error.h"
#include "libs/crypto/random.h"
#include "libs/crypto/sodium_support.h"

namespace bitcontent::crypto {

static_assert(kAeadKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kAeadNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kAeadTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kAeadKeyBytes == crypto_core_hchacha20_KEYBYTES);
static_assert(kAeadNonceBytes == crypto_core_hchacha20_INPUTBYTES + 8);

namespace {

// XChaCha20-Poly1305 as libsodium defines it (and draft-irtf-cfrg-xchacha): HChaCha20
// of the key and the nonce's first 16 bytes gives a subkey, and the IETF
// ChaCha20-Poly1305 of RFC 8439 runs under that subkey with the 12-byte nonce
// 0x00000000 || the nonce's last 8 bytes. The subkey comes from libsodium; the bulk
// cipher from OpenSSL, whose AVX-512 ChaCha20 and Poly1305 sealed a 1 MiB chunk about
// three times as fast as libsodium's on this project's machines (docs/benchmarks.md).
// The bytes are the same either way, and the test checks them against libsodium's.
constexpr size_t kIetfNonceBytes = 12;

struct Subkey {
  unsigned char key[crypto_core_hchacha20_OUTPUTBYTES];
  unsigned char nonce[kIetfNonceBytes] = {};

  Subkey(absl::string_view key_bytes, absl::string_view xnonce) {
    crypto_core_hchacha20(key, internal::Bytes(xnonce), internal::Bytes(key_bytes), nullptr);
    std::memcpy(nonce + 4, xnonce.data() + crypto_core_hchacha20_INPUTBYTES, 8);
  }
  ~Subkey() { sodium_memzero(key, sizeof(key)); }
};

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext NewContext(const Subkey& subkey, bool seal) {
  CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (context == nullptr || EVP_CipherInit_ex(context.get(), EVP_chacha20_poly1305(), nullptr,
                                              subkey.key, subkey.nonce, seal ? 1 : 0) != 1) {
    ProgrammerError("crypto: OpenSSL cannot start ChaCha20-Poly1305");
  }
  return context;
}

// Bounded sizes (kAeadPlaintextBytesMax, kAeadAssociatedDataBytesMax) fit the int
// OpenSSL counts in, so each part goes through in one call.
static_assert(kAeadPlaintextBytesMax + kAeadTagBytes <= INT_MAX);
static_assert(kAeadAssociatedDataBytesMax <= INT_MAX);

bool Update(EVP_CIPHER_CTX* context, const unsigned char* in, size_t size, unsigned char* out) {
  int written = 0;
  return EVP_CipherUpdate(context, out, &written, in, static_cast<int>(size)) == 1 &&
         written == static_cast<int>(size);
}

bool AddAssociatedData(EVP_CIPHER_CTX* context, absl::string_view associated_data) {
  int ignored = 0;
  return associated_data.empty() ||
         EVP_CipherUpdate(context, nullptr, &ignored, internal::Bytes(associated_data),
                          static_cast<int>(associated_data.size())) == 1;
}

}  // namespace

std::string AeadSeal(absl::string_view key, absl::string_view nonce, absl::string_view plaintext,
                     absl::string_view associated_data) {
  RequireSize("crypto::AeadSeal", "key", key.size(), kAeadKeyBytes);
  RequireSize("crypto::AeadSeal", "nonce", nonce.size(), kAeadNonceBytes);
  if (plaintext.size() > kAeadPlaintextBytesMax) {
    ProgrammerError(absl::StrCat("crypto::AeadSeal: plaintext is ", plaintext.size(),
                                 " bytes, more than the limit of ", kAeadPlaintextBytesMax));
  }
  if (associated_data.size() > kAeadAssociatedDataBytesMax) {
    ProgrammerError(absl::StrCat("crypto::AeadSeal: associated data is ", associated_data.size(),
                                 " bytes, more than the limit of ", kAeadAssociatedDataBytesMax));
  }
  internal::EnsureSodium();
  const Subkey subkey(key, nonce);
  CipherContext context = NewContext(subkey, /*seal=*/true);
  std::string ciphertext(plaintext.size() + kAeadTagBytes, '\0');
  unsigned char* out = internal::MutableBytes(ciphertext);
  int final_bytes = 0;
  if (!AddAssociatedData(context.get(), associated_data) ||
      !Update(context.get(), internal::Bytes(plaintext), plaintext.size(), out) ||
      EVP_CipherFinal_ex(context.get(), out + plaintext.size(), &final_bytes) != 1 ||
      final_bytes != 0 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_GET_TAG, kAeadTagBytes,
                          out + plaintext.size()) != 1) {
    ProgrammerError("crypto::AeadSeal: OpenSSL failed to seal");
  }
  return ciphertext;
}

absl::StatusOr<std::string> AeadOpen(absl::string_view key, absl::string_view nonce,
                                     absl::string_view ciphertext,
                                     absl::string_view associated_data) {
  std::string plaintext(ciphertext);
  absl::StatusOr<size_t> size =
      AeadOpenInPlace(key, nonce, absl::MakeSpan(plaintext), associated_data);
  if (!size.ok()) return size.status();
  plaintext.resize(*size);
  return plaintext;
}

absl::StatusOr<size_t> AeadOpenInPlace(absl::string_view key, absl::string_view nonce,
                                       absl::Span<char> sealed, absl::string_view associated_data) {
  RequireSize("crypto::AeadOpen", "key", key.size(), kAeadKeyBytes);
  if (nonce.size() != kAeadNonceBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("nonce must be ", kAeadNonceBytes, " bytes, got ", nonce.size()));
  }
  if (sealed.size() > kAeadPlaintextBytesMax + kAeadTagBytes) {
    return absl::InvalidArgumentError(absl::StrCat("ciphertext is ", sealed.size(),
                                                   " bytes, more than the limit of ",
                                                   kAeadPlaintextBytesMax + kAeadTagBytes));
  }
  if (associated_data.size() > kAeadAssociatedDataBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat("associated data is ", associated_data.size(),
                                                   " bytes, more than the limit of ",
                                                   kAeadAssociatedDataBytesMax));
  }
  if (sealed.size() < kAeadTagBytes) {
    return absl::DataLossError(kAuthenticationFailedMessage);
  }
  internal::EnsureSodium();
  const size_t size = sealed.size() - kAeadTagBytes;
  const Subkey subkey(key, nonce);
  CipherContext context = NewContext(subkey, /*seal=*/false);
  // OpenSSL takes the expected tag before the final check and does not write to it.
  unsigned char tag[kAeadTagBytes];
  std::memcpy(tag, sealed.data() + size, kAeadTagBytes);
  // ChaCha20 is a stream cipher: OpenSSL writes each plaintext byte over the ciphertext
  // byte it came from, so the buffer that arrived becomes the answer.
  auto* bytes = reinterpret_cast<unsigned char*>(sealed.data());
  int final_bytes = 0;
  if (EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_AEAD_SET_TAG, kAeadTagBytes, tag) != 1 ||
      !AddAssociatedData(context.get(), associated_data) ||
      !Update(context.get(), bytes, size, bytes) ||
      EVP_CipherFinal_ex(context.get(), nullptr, &final_bytes) != 1) {
    // Nothing of an unauthenticated message leaves this function.
    sodium_memzero(sealed.data(), sealed.size());
    return absl::DataLossError(kAuthenticationFailedMessage);
  }
  return size;
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
