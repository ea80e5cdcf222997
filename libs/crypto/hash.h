// BLAKE2b with a 32-byte digest (libsodium crypto_generichash): content addresses of
// encrypted chunks, hashes of high-entropy secrets, and keyed MACs; and HMAC-SHA256
// where a format asks for it. Use the streaming
// Blake2b256Hasher for data that arrives in pieces (a chunk read from a socket); it
// gives the same digest as Blake2b256 over the concatenation.
#pragma once

#include <sodium.h>

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::crypto {

inline constexpr size_t kBlake2b256Bytes = 32;
// Key sizes BLAKE2b accepts for keyed hashing.
inline constexpr size_t kBlake2bKeyBytesMin = 16, kBlake2bKeyBytesMax = 64;

// The 32-byte BLAKE2b digest of `data`.
std::string Blake2b256(absl::string_view data);

// The 32-byte keyed BLAKE2b digest (a MAC) of `data`. Requires a key of 16 to 64 bytes;
// aborts otherwise.
std::string Blake2b256Keyed(absl::string_view key, absl::string_view data);

inline constexpr size_t kHmacSha256Bytes = 32, kHmacSha256KeyBytes = 32;

// HMAC-SHA256 (RFC 2104; libsodium crypto_auth_hmacsha256) of `data` under a 32-byte
// key, for formats that name it (a node name's HMAC). Aborts on another key size.
std::string HmacSha256(absl::string_view key, absl::string_view data);

// Incremental unkeyed BLAKE2b-256: Update any number of times, then Finish once.
class Blake2b256Hasher {
 public:
  Blake2b256Hasher();
  Blake2b256Hasher(const Blake2b256Hasher&) = delete;
  Blake2b256Hasher& operator=(const Blake2b256Hasher&) = delete;

  // Adds `data` to what is hashed. Aborts after Finish.
  void Update(absl::string_view data);

  // Returns the 32-byte digest of everything added. Aborts when called twice.
  std::string Finish();

 private:
  crypto_generichash_state state_;
  bool finished_ = false;
};

}  // namespace bitcontent::crypto
