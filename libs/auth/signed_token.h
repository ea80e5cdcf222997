// The one token format the suite signs for its own use (access tokens, capability
// grants, quotes): a common.v1.SignedToken whose Ed25519 signature covers
//   label || 0x00 || payload
// where the label names the purpose ("bitcontent/access-token/v1", ...), so a signature
// made for one purpose never verifies for another. On the wire the token is the
// unpadded base64url of the serialized SignedToken.
//
// Issuers call SignToken with their private key; verifiers call VerifyToken with a
// KeyRing of public keys. VerifyToken answers every failure with Unauthenticated and one
// of a few fixed messages that tell a client what went wrong without helping a forger:
// "token too long", "malformed token", "wrong token purpose", "unknown signing key",
// "bad signature", "key not valid at this time". The payload's own claims (expiry,
// subject) are for the caller to check, as access_token.h does.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/common/v1/keys.pb.h"
#include "libs/auth/key_ring.h"
#include "libs/crypto/signing.h"

namespace bitcontent::auth {

// Longest token text accepted (and issued), checked before any decoding.
inline constexpr size_t kSignedTokenTextBytesMax = 4096;

// A private signing key and the id verifiers find its public half under.
struct SigningKey {
  std::string key_id;
  crypto::SigningKeyPair key_pair;
};

// The domain-separation label of `purpose`, or "" for purposes this format does not sign
// (receipts are JWS; key escrow keys do not sign).
absl::string_view TokenLabel(common::v1::KeyPurpose purpose);

// The public key verifiers need for `key`, valid from `not_before`, for publishing.
common::v1::PublicKey PublicKeyOf(const SigningKey& key, common::v1::KeyPurpose purpose,
                                  absl::string_view issuer, absl::Time not_before);

// Signs `payload` for `purpose` and returns the token text. Aborts when the purpose has
// no label, the key id is empty or longer than kKeyIdBytesMax, the secret key is not 64
// bytes, or the token would exceed kSignedTokenTextBytesMax (a payload too large): all
// of these are mistakes in the issuing code.
std::string SignToken(common::v1::KeyPurpose purpose, const SigningKey& key,
                      absl::string_view payload);

// Checks `token` and returns its payload: it must be a well-formed SignedToken for
// `purpose`, signed by a key in `keys` of that purpose whose validity window (widened
// by kClockSkew) contains `now`. Unauthenticated otherwise, with the messages above.
// Aborts when `purpose` has no label (a mistake in the verifying code).
absl::StatusOr<std::string> VerifyToken(absl::string_view token, common::v1::KeyPurpose purpose,
                                        const KeyRing& keys, absl::Time now);

}  // namespace bitcontent::auth
