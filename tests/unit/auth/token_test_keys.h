// Signing keys and key rings for the auth unit tests: deterministic keys from fixed
// seeds, published through PublicKeyOf the way accounts publishes its own.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "libs/auth/key_ring.h"
#include "libs/auth/signed_token.h"
#include "libs/crypto/signing.h"

namespace bitcontent::auth::testing {

// The time every token test runs at, far from the epoch and from now.
inline absl::Time TestNow() { return absl::FromUnixSeconds(1750000000); }

// A signing key whose seed is 32 copies of `seed_byte`.
inline SigningKey TestSigningKey(absl::string_view key_id, char seed_byte) {
  return SigningKey{.key_id = std::string(key_id),
                    .key_pair = crypto::SigningKeyPairFromSeed(std::string(32, seed_byte))};
}

// The public half of `key` for `purpose`, valid from a day before TestNow().
inline common::v1::PublicKey TestPublicKey(const SigningKey& key, common::v1::KeyPurpose purpose) {
  return PublicKeyOf(key, purpose, "accounts", TestNow() - absl::Hours(24));
}

}  // namespace bitcontent::auth::testing
