// Internal to libs/crypto: the one place that initialises libsodium, and the casts
// between std::string / absl::string_view and the unsigned char pointers libsodium takes.
// Every public function of the library calls EnsureSodium() before using a primitive.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::crypto::internal {

// Runs sodium_init() once per process (thread-safe) and aborts if it fails, which only
// happens when the system offers no source of randomness.
void EnsureSodium();

inline const unsigned char* Bytes(absl::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

inline unsigned char* MutableBytes(std::string& data) {
  return reinterpret_cast<unsigned char*>(data.data());
}

}  // namespace bitcontent::crypto::internal
