#include "libs/crypto/sealed_box.h"

#include <sodium.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/crypto/aead.h"
#include "libs/crypto/programmer_error.h"
#include "libs/crypto/random.h"
#include "libs/crypto/sodium_support.h"

namespace bitcontent::crypto {

static_assert(kBoxPublicKeyBytes == crypto_box_PUBLICKEYBYTES);
static_assert(kBoxSecretKeyBytes == crypto_box_SECRETKEYBYTES);
static_assert(kSealOverheadBytes == crypto_box_SEALBYTES);

BoxKeyPair NewBoxKeyPair() {
  internal::EnsureSodium();
  BoxKeyPair key_pair{.public_key = std::string(kBoxPublicKeyBytes, '\0'),
                      .secret_key = std::string(kBoxSecretKeyBytes, '\0')};
  crypto_box_keypair(internal::MutableBytes(key_pair.public_key),
                     internal::MutableBytes(key_pair.secret_key));
  return key_pair;
}

BoxKeyPair BoxKeyPairFromSecretKey(absl::string_view secret_key) {
  internal::EnsureSodium();
  RequireSize("crypto::BoxKeyPairFromSecretKey", "secret key", secret_key.size(),
              kBoxSecretKeyBytes);
  BoxKeyPair key_pair{.public_key = std::string(kBoxPublicKeyBytes, '\0'),
                      .secret_key = std::string(secret_key)};
  crypto_scalarmult_base(internal::MutableBytes(key_pair.public_key), internal::Bytes(secret_key));
  return key_pair;
}

absl::Status ValidateBoxPublicKey(absl::string_view public_key) {
  internal::EnsureSodium();
  if (public_key.size() != kBoxPublicKeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat("X25519 public key must be ", kBoxPublicKeyBytes,
                                                   " bytes, got ", public_key.size()));
  }
  // A clamped scalar is a multiple of the cofactor, so multiplying a low-order point by
  // any of them gives the all-zero output that crypto_scalarmult refuses.
  const std::string scalar = RandomBytes(crypto_scalarmult_SCALARBYTES);
  unsigned char shared[crypto_scalarmult_BYTES];
  const bool usable =
      crypto_scalarmult(shared, internal::Bytes(scalar), internal::Bytes(public_key)) == 0;
  sodium_memzero(shared, sizeof(shared));
  if (!usable) {
    return absl::InvalidArgumentError("X25519 public key is a low-order point and unusable");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> TrySealTo(absl::string_view public_key, absl::string_view plaintext) {
  if (absl::Status status = ValidateBoxPublicKey(public_key); !status.ok()) return status;
  if (plaintext.size() > kSealPlaintextBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat("sealed box plaintext is ", plaintext.size(),
                                                   " bytes, more than the limit of ",
                                                   kSealPlaintextBytesMax));
  }
  std::string sealed(plaintext.size() + kSealOverheadBytes, '\0');
  if (crypto_box_seal(internal::MutableBytes(sealed), internal::Bytes(plaintext), plaintext.size(),
                      internal::Bytes(public_key)) != 0) {
    return absl::InvalidArgumentError("X25519 public key is unusable");
  }
  return sealed;
}

std::string SealTo(absl::string_view public_key, absl::string_view plaintext) {
  absl::StatusOr<std::string> sealed = TrySealTo(public_key, plaintext);
  if (!sealed.ok()) {
    ProgrammerError(absl::StrCat("crypto::SealTo: ", sealed.status().message(),
                                 " (use TrySealTo for keys not validated yet)"));
  }
  return *std::move(sealed);
}

absl::StatusOr<std::string> OpenSealed(const BoxKeyPair& key_pair, absl::string_view sealed) {
  internal::EnsureSodium();
  RequireSize("crypto::OpenSealed", "public key", key_pair.public_key.size(), kBoxPublicKeyBytes);
  RequireSize("crypto::OpenSealed", "secret key", key_pair.secret_key.size(), kBoxSecretKeyBytes);
  if (sealed.size() > kSealPlaintextBytesMax + kSealOverheadBytes) {
    return absl::InvalidArgumentError(absl::StrCat("sealed box is ", sealed.size(),
                                                   " bytes, more than the limit of ",
                                                   kSealPlaintextBytesMax + kSealOverheadBytes));
  }
  if (sealed.size() < kSealOverheadBytes) {
    return absl::DataLossError(kAuthenticationFailedMessage);
  }
  std::string plaintext(sealed.size() - kSealOverheadBytes, '\0');
  if (crypto_box_seal_open(internal::MutableBytes(plaintext), internal::Bytes(sealed),
                           sealed.size(), internal::Bytes(key_pair.public_key),
                           internal::Bytes(key_pair.secret_key)) != 0) {
    return absl::DataLossError(kAuthenticationFailedMessage);
  }
  return plaintext;
}

}  // namespace bitcontent::crypto
