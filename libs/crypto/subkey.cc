#include "libs/crypto/subkey.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "libs/crypto/programmer_error.h"
#include "libs/crypto/sodium_support.h"

namespace bitcontent::crypto {

static_assert(kSubkeyRootKeyBytes == crypto_kdf_KEYBYTES);
static_assert(kSubkeyContextBytes == crypto_kdf_CONTEXTBYTES);
static_assert(kSubkeyBytesMin == crypto_kdf_BYTES_MIN);
static_assert(kSubkeyBytesMax == crypto_kdf_BYTES_MAX);

std::string DeriveSubkey(absl::string_view key, uint64_t subkey_id, absl::string_view context,
                         size_t size) {
  internal::EnsureSodium();
  RequireSize("crypto::DeriveSubkey", "key", key.size(), kSubkeyRootKeyBytes);
  RequireSize("crypto::DeriveSubkey", "context", context.size(), kSubkeyContextBytes);
  if (size < kSubkeyBytesMin || size > kSubkeyBytesMax) {
    ProgrammerError(absl::StrCat("crypto::DeriveSubkey: size must be in [", kSubkeyBytesMin, ", ",
                                 kSubkeyBytesMax, "], got ", size));
  }
  // crypto_kdf reads exactly 8 context bytes; a local array keeps the read in bounds.
  char context_bytes[crypto_kdf_CONTEXTBYTES];
  context.copy(context_bytes, sizeof(context_bytes));
  std::string subkey(size, '\0');
  crypto_kdf_derive_from_key(internal::MutableBytes(subkey), subkey.size(), subkey_id,
                             context_bytes, internal::Bytes(key));
  return subkey;
}

}  // namespace bitcontent::crypto
