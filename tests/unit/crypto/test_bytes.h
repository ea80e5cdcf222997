// Bytes from hex literals, the way published test vectors are printed. Shared by the
// crypto and auth unit tests.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "libs/crypto/encoding.h"

namespace bitcontent::crypto::testing {

// The bytes `hex` spells. Test vectors are often constants initialised before any test
// runs, where Catch2 assertions cannot be used, so a typo in one aborts the binary.
inline std::string Unhex(absl::string_view hex) {
  absl::StatusOr<std::string> bytes = HexDecode(hex);
  if (!bytes.ok()) {
    std::fprintf(stderr, "test vector is not valid hex: %.*s\n", static_cast<int>(hex.size()),
                 hex.data());
    std::abort();
  }
  return *bytes;
}

}  // namespace bitcontent::crypto::testing
