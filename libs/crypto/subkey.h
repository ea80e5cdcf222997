// Independent subkeys from one root key (libsodium crypto_kdf, BLAKE2b based). A client
// derives, from the Argon2id root key, the authentication key (sent to the server) and
// the key-encryption key (kept), and knowing one tells nothing about the other. The
// context is an 8-character label naming the use ("bcauth01", "bckek001"), so keys made
// for one purpose can never collide with another's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::crypto {

// Root key size: crypto_kdf_KEYBYTES.
inline constexpr size_t kSubkeyRootKeyBytes = 32;
// Context size: crypto_kdf_CONTEXTBYTES.
inline constexpr size_t kSubkeyContextBytes = 8;
// Subkey sizes crypto_kdf can produce.
inline constexpr size_t kSubkeyBytesMin = 16;
inline constexpr size_t kSubkeyBytesMax = 64;

// Returns subkey number `subkey_id` of `key` for `context`, `size` bytes long.
// Deterministic. Requires a 32-byte key, an 8-character context and size in
// [kSubkeyBytesMin, kSubkeyBytesMax]; aborts otherwise (these are fixed by the program).
std::string DeriveSubkey(absl::string_view key, uint64_t subkey_id, absl::string_view context,
                         size_t size = 32);

}  // namespace bitcontent::crypto
