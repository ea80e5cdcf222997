// Checks of the client-supplied values the accounts API accepts: password envelopes,
// keys, devices and idempotency keys. Each failure is INVALID_ARGUMENT naming the field
// (e.g. "password.salt: must be 16 bytes, got 12"), so a client author can fix the call.
#pragma once

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bitcontent/accounts/v1/users.pb.h"
#include "libs/crypto/password_kdf.h"

namespace bitcontent::accounts {

// An optional idempotency key: empty, or at most kRequestIdLengthMax printable ASCII
// characters without spaces.
absl::Status ValidateRequestId(absl::string_view request_id, absl::string_view field);

// Device id, display name and platform within their length limits, printable.
absl::Status ValidateDevice(const v1::DeviceInfo& device, absl::string_view field);

// Salt of kSaltBytes, Argon2id parameters at or above `minimum` (and within libsodium's
// and the crypto library's bounds), a 32-byte auth key and a wrapped master key of a
// plausible size.
absl::Status ValidateEnvelope(const v1::PasswordEnvelope& envelope, absl::string_view field,
                              const crypto::KdfParams& minimum);

// A 32-byte X25519 public key.
absl::Status ValidatePublicKey(absl::string_view public_key, absl::string_view field);

// A key wrapped with XChaCha20-Poly1305: nonce || ciphertext || tag.
absl::Status ValidateWrappedKey(absl::string_view wrapped, absl::string_view field);

// A 32-byte key (auth keys, recovery auth keys).
absl::Status ValidateKey32(absl::string_view key, absl::string_view field);

// BLAKE2b-256 over the length-prefixed `parts`: the fingerprint that tells a retry of a
// request (same parts) from a different request reusing its idempotency key.
std::string Fingerprint(std::initializer_list<absl::string_view> parts);

}  // namespace bitcontent::accounts
