#include "libs/crypto/random.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "libs/crypto/programmer_error.h"
#include "libs/crypto/sodium_support.h"

namespace bitcontent::crypto {

std::string RandomBytes(size_t size) {
  internal::EnsureSodium();
  if (size > kRandomBytesMax) {
    ProgrammerError(absl::StrCat("crypto::RandomBytes: asked for ", size,
                                 " bytes, more than the limit of ", kRandomBytesMax));
  }
  std::string bytes(size, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  internal::EnsureSodium();
  if (a.size() != b.size()) {
    return false;
  }
  if (a.empty()) {
    return true;
  }
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace bitcontent::crypto
