// Random bytes from the operating system's CSPRNG (libsodium randombytes_buf) and a
// comparison that takes the same time wherever two values differ. Use RandomBytes for
// every key, nonce, salt and token id; use ConstantTimeEquals whenever one side is a
// secret or derived from one (MACs, token hashes), so timing reveals nothing about it.
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::crypto {

// Most bytes one RandomBytes call returns; more is a programming error.
inline constexpr size_t kRandomBytesMax = size_t{1} << 20;

// Returns `size` bytes from the system CSPRNG. Requires size <= kRandomBytesMax.
std::string RandomBytes(size_t size);

// True when `a` and `b` hold the same bytes. Sizes are not secret: values of different
// sizes compare false at once; equal sizes are compared in constant time.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace bitcontent::crypto
