// Ed25519 signatures (RFC 8032, libsodium crypto_sign): access tokens, capability grants,
// quotes and receipts are signed with them and verified offline with the public key.
// VerifySignature takes untrusted input of any size and answers false for anything that
// is not a valid signature; it never crashes.
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::crypto {

inline constexpr size_t kSigningPublicKeyBytes = 32, kSigningSecretKeyBytes = 64,
                        kSigningSeedBytes = 32, kSignatureBytes = 64;

struct SigningKeyPair {
  std::string public_key;  // 32 bytes
  // 64 bytes in libsodium's layout: the 32-byte seed followed by the public key.
  std::string secret_key;
};

// A fresh random key pair.
SigningKeyPair NewSigningKeyPair();

// The key pair RFC 8032 derives from a 32-byte seed (the RFC's "SECRET KEY"). Aborts on
// another size. Lets a service keep only the seed in its configuration.
SigningKeyPair SigningKeyPairFromSeed(absl::string_view seed32);

// The 64-byte detached signature of `message`. Requires a 64-byte secret key.
std::string Sign(absl::string_view secret_key, absl::string_view message);

// True only when `signature` is a valid signature of `message` by `public_key`. False
// for keys or signatures of the wrong size and for non-canonical encodings.
bool VerifySignature(absl::string_view public_key, absl::string_view message,
                     absl::string_view signature);

}  // namespace bitcontent::crypto
