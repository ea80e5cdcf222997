// Argon2id (libsodium crypto_pwhash, ALG_ARGON2ID13) for the two jobs passwords need:
//
// - Clients turn a password and the member's random salt into a root key with
//   DeriveKeyFromPassword, then split it with DeriveSubkey (subkey.h) into the
//   authentication key sent to the server and the key-encryption key that never leaves
//   the client.
// - The server stores only HashSecret(authentication key): a self-describing
//   "$argon2id$v=19$m=...,t=...,p=1$<salt>$<hash>" string with its own random salt, and
//   checks logins with VerifySecret.
//
// Parameters outside libsodium's bounds, or above this library's own caps (which stop a
// hostile server from making a client allocate terabytes), are refused with
// InvalidArgument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::crypto {

struct KdfParams {
  // Passes over memory (Argon2 t_cost).
  uint64_t ops_limit = 0;
  // Memory used, in bytes (Argon2 m_cost * 1 KiB).
  uint64_t mem_limit_bytes = 0;
};

// Random salt size: crypto_pwhash_SALTBYTES.
inline constexpr size_t kSaltBytes = 16;

// This library's caps, well above any sensible setting (libsodium SENSITIVE is 4 passes
// over 1 GiB), so that parameters received from the network cannot exhaust a machine.
inline constexpr uint64_t kKdfOpsLimitMax = 32;
inline constexpr uint64_t kKdfMemLimitBytesMax = uint64_t{4} << 30;

// Longest password or secret accepted, in bytes.
inline constexpr size_t kPasswordBytesMax = 1024;

// Derived key sizes DeriveKeyFromPassword accepts.
inline constexpr size_t kDerivedKeyBytesMin = 16;
inline constexpr size_t kDerivedKeyBytesMax = 64;

// libsodium's INTERACTIVE setting for Argon2id: 2 passes over 64 MiB, about a tenth of a
// second on a laptop core. The default for clients and for the server's verifier hash.
KdfParams InteractiveKdfParams();

// The smallest parameters libsodium allows (1 pass over 8 KiB): fast enough for unit
// tests that hash hundreds of passwords. NEVER use them in production: they make
// offline guessing of a password nearly free.
KdfParams TestKdfParams();

// OK when `params` are within libsodium's bounds and this library's caps; otherwise
// InvalidArgument naming the offending value and the accepted range.
absl::Status ValidateKdfParams(const KdfParams& params);

// Argon2id(password, salt) -> `key_bytes` bytes. Deterministic: the same password, salt
// and params give the same key on every device. `salt` must be kSaltBytes long and
// `key_bytes` in [kDerivedKeyBytesMin, kDerivedKeyBytesMax]; InvalidArgument otherwise,
// ResourceExhausted when the memory cannot be allocated.
absl::StatusOr<std::string> DeriveKeyFromPassword(absl::string_view password,
                                                  absl::string_view salt, const KdfParams& params,
                                                  size_t key_bytes = 32);

// The server-side verifier of a secret: an Argon2id hash string with a fresh random salt
// and the parameters encoded in it.
absl::StatusOr<std::string> HashSecret(absl::string_view secret, const KdfParams& params);

// True when `hash` (from HashSecret) matches `secret`. False for a wrong secret and for
// any malformed or non-Argon2id hash; never crashes on bad input.
bool VerifySecret(absl::string_view hash, absl::string_view secret);

// True when `hash` was made with parameters other than `params` (or is not a valid
// Argon2id hash), so the caller should re-hash the secret after a successful login.
bool SecretHashNeedsRehash(absl::string_view hash, const KdfParams& params);

}  // namespace bitcontent::crypto
