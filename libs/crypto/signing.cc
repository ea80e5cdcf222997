#include "libs/crypto/signing.h"

#include <sodium.h>

#include "libs/crypto/programmer_error.h"
#include "libs/crypto/sodium_support.h"

namespace bitcontent::crypto {

static_assert(kSigningPublicKeyBytes == crypto_sign_PUBLICKEYBYTES);
static_assert(kSigningSecretKeyBytes == crypto_sign_SECRETKEYBYTES);
static_assert(kSigningSeedBytes == crypto_sign_SEEDBYTES);
static_assert(kSignatureBytes == crypto_sign_BYTES);

namespace {

SigningKeyPair EmptyKeyPair() {
  return {.public_key = std::string(kSigningPublicKeyBytes, '\0'),
          .secret_key = std::string(kSigningSecretKeyBytes, '\0')};
}

}  // namespace

SigningKeyPair NewSigningKeyPair() {
  internal::EnsureSodium();
  SigningKeyPair key_pair = EmptyKeyPair();
  crypto_sign_keypair(internal::MutableBytes(key_pair.public_key),
                      internal::MutableBytes(key_pair.secret_key));
  return key_pair;
}

SigningKeyPair SigningKeyPairFromSeed(absl::string_view seed32) {
  internal::EnsureSodium();
  RequireSize("crypto::SigningKeyPairFromSeed", "seed", seed32.size(), kSigningSeedBytes);
  SigningKeyPair key_pair = EmptyKeyPair();
  crypto_sign_seed_keypair(internal::MutableBytes(key_pair.public_key),
                           internal::MutableBytes(key_pair.secret_key), internal::Bytes(seed32));
  return key_pair;
}

std::string Sign(absl::string_view secret_key, absl::string_view message) {
  internal::EnsureSodium();
  RequireSize("crypto::Sign", "secret key", secret_key.size(), kSigningSecretKeyBytes);
  std::string signature(kSignatureBytes, '\0');
  crypto_sign_detached(internal::MutableBytes(signature), /*siglen_p=*/nullptr,
                       internal::Bytes(message), message.size(), internal::Bytes(secret_key));
  return signature;
}

bool VerifySignature(absl::string_view public_key, absl::string_view message,
                     absl::string_view signature) {
  internal::EnsureSodium();
  if (public_key.size() != kSigningPublicKeyBytes || signature.size() != kSignatureBytes) {
    return false;
  }
  return crypto_sign_verify_detached(internal::Bytes(signature), internal::Bytes(message),
                                     message.size(), internal::Bytes(public_key)) == 0;
}

}  // namespace bitcontent::crypto
