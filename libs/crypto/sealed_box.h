// Anonymous public-key encryption to an X25519 key (libsodium crypto_box_seal): shares
// seal a node key to a member's public key, creators seal a file key to the pricing
// service's escrow key. The sender needs only the recipient's public key and stays
// anonymous; only the holder of the matching secret key can open the box, and any change
// to it is detected.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::crypto {

inline constexpr size_t kBoxPublicKeyBytes = 32, kBoxSecretKeyBytes = 32;
// Bytes SealTo adds to the plaintext: an ephemeral public key and a tag.
inline constexpr size_t kSealOverheadBytes = 48;
// Largest plaintext a box holds; boxes carry keys, never bulk data.
inline constexpr size_t kSealPlaintextBytesMax = 4096;

struct BoxKeyPair {
  std::string public_key;  // 32 bytes
  std::string secret_key;  // 32 bytes
};

// A fresh random key pair.
BoxKeyPair NewBoxKeyPair();

// The key pair whose secret half is `secret_key` (32 bytes; aborts otherwise), for a
// client that unwrapped its secret key and wants the pair back.
BoxKeyPair BoxKeyPairFromSecretKey(absl::string_view secret_key);

// OK when `public_key` is 32 bytes and a usable X25519 point (not one of the low-order
// points, with which no secret can be shared). Check keys received from others with it.
absl::Status ValidateBoxPublicKey(absl::string_view public_key);

// Seals `plaintext` to `public_key`: InvalidArgument when the key fails
// ValidateBoxPublicKey or the plaintext exceeds kSealPlaintextBytesMax.
absl::StatusOr<std::string> TrySealTo(absl::string_view public_key, absl::string_view plaintext);

// Seals `plaintext` to `public_key`; the result is kSealOverheadBytes longer. Aborts on a
// key TrySealTo would refuse: use TrySealTo for keys not yet validated.
std::string SealTo(absl::string_view public_key, absl::string_view plaintext);

// Opens a box sealed to `key_pair.public_key`. DataLoss with kAuthenticationFailedMessage
// when it was sealed to another key, altered or truncated; InvalidArgument when it is
// larger than any box SealTo makes. Requires well-sized keys (aborts otherwise).
absl::StatusOr<std::string> OpenSealed(const BoxKeyPair& key_pair, absl::string_view sealed);

}  // namespace bitcontent::crypto
