// The hashes Bitcoin keys and addresses are built from: SHA-256, double SHA-256
// (base58check checksums), HMAC-SHA512 (BIP32 child derivation), RIPEMD-160 and
// HASH160 = RIPEMD-160(SHA-256(x)) (P2WPKH programs, key fingerprints). Inputs and
// digests are byte strings.
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::bitcoin {

inline constexpr size_t kSha256Bytes = 32, kSha512Bytes = 64, kRipemd160Bytes = 20;

// The 32-byte SHA-256 digest of `data` (OpenSSL EVP).
std::string Sha256(absl::string_view data);

// SHA-256(SHA-256(data)), 32 bytes.
std::string DoubleSha256(absl::string_view data);

// The 64-byte HMAC-SHA512 of `data` under `key` (OpenSSL), any key length.
std::string HmacSha512(absl::string_view key, absl::string_view data);

// The 20-byte RIPEMD-160 digest of `data`. In-house (ripemd160.cc): OpenSSL 3 keeps
// RIPEMD-160 in its legacy provider, which a Debian 12 default configuration does not
// load, so the suite does not depend on it.
std::string Ripemd160(absl::string_view data);

// RIPEMD-160(SHA-256(data)), 20 bytes.
std::string Hash160(absl::string_view data);

}  // namespace bitcontent::bitcoin
