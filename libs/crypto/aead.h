// Authenticated encryption with XChaCha20-Poly1305 (IETF variant, libsodium's
// crypto_aead_xchacha20poly1305_ietf; the bulk cipher runs in OpenSSL, see aead.cc):
// file chunks, encrypted attributes, wrapped keys.
// Its 24-byte nonce is large enough to be chosen at random for every message.
//
// AeadSeal / AeadOpen take the nonce from the caller, for formats that derive it (chunk
// nonce = per-version random prefix || chunk index). WrapKey / UnwrapKey pick a random
// nonce and store it in front: use them to wrap one key with another (the master key
// under the key-encryption key, a file key under the master key).
//
// The associated data is authenticated but not encrypted: bind into it everything the
// ciphertext must not be moved away from (file version, chunk index, owner). Any change
// to key, nonce, ciphertext, tag or associated data makes opening fail with DataLoss.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace bitcontent::crypto {

inline constexpr size_t kAeadKeyBytes = 32, kAeadNonceBytes = 24, kAeadTagBytes = 16;

// Largest plaintext AeadSeal takes (and so the largest ciphertext AeadOpen accepts, plus
// its tag). Chunks are at most 4 MiB; this leaves room without allowing the unbounded.
inline constexpr size_t kAeadPlaintextBytesMax = size_t{64} << 20;

// Largest associated data either takes: labels, ids and indexes, never content.
inline constexpr size_t kAeadAssociatedDataBytesMax = 4096;

// Largest key WrapKey wraps (an Ed25519 secret key, 64 bytes, is the largest in use).
inline constexpr size_t kWrappedKeyPlaintextBytesMax = 256;

// Bytes WrapKey adds to the key it wraps: the nonce in front and the tag behind.
inline constexpr size_t kWrapOverheadBytes = kAeadNonceBytes + kAeadTagBytes;

// The message of every authentication failure. It does not say which part was wrong:
// a wrong key and altered data are indistinguishable, by design.
inline constexpr absl::string_view kAuthenticationFailedMessage =
    "ciphertext failed authentication: wrong key, or the data was altered";

// Returns ciphertext || 16-byte tag. Requires a 32-byte key, a 24-byte nonce and a
// plaintext of at most kAeadPlaintextBytesMax; aborts otherwise. Never seal two messages
// with the same key and nonce.
std::string AeadSeal(absl::string_view key, absl::string_view nonce, absl::string_view plaintext,
                     absl::string_view associated_data);

// Returns the plaintext of `ciphertext` (ciphertext || tag, as AeadSeal made it).
// DataLoss with kAuthenticationFailedMessage when it is too short, altered, or opened
// with another key, nonce or associated data; InvalidArgument for a nonce that is not
// 24 bytes or a ciphertext above the size limit. Requires a 32-byte key.
absl::StatusOr<std::string> AeadOpen(absl::string_view key, absl::string_view nonce,
                                     absl::string_view ciphertext,
                                     absl::string_view associated_data);

// AeadOpen over memory the caller keeps (a file chunk in the aligned buffer it is
// written to disk from): the plaintext is written over the ciphertext, so a large
// message costs no second buffer. Returns the plaintext's size, its bytes at the start
// of `sealed`; on a failure `sealed` is zeroed. Same answers as AeadOpen.
absl::StatusOr<size_t> AeadOpenInPlace(absl::string_view key, absl::string_view nonce,
                                       absl::Span<char> sealed, absl::string_view associated_data);

// Seals `key` (1 to kWrappedKeyPlaintextBytesMax bytes) under `wrapping_key` with a
// random nonce: returns nonce || ciphertext || tag. Requires a 32-byte wrapping key.
std::string WrapKey(absl::string_view wrapping_key, absl::string_view key,
                    absl::string_view associated_data);

// Opens what WrapKey made. DataLoss with kAuthenticationFailedMessage for a wrong
// wrapping key, wrong associated data or altered, truncated or oversized input.
absl::StatusOr<std::string> UnwrapKey(absl::string_view wrapping_key, absl::string_view wrapped,
                                      absl::string_view associated_data);

}  // namespace bitcontent::crypto
