#include "libs/crypto/hash.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "libs/crypto/programmer_error.h"
#include "libs/crypto/sodium_support.h"

namespace bitcontent::crypto {

static_assert(kBlake2bKeyBytesMin == crypto_generichash_KEYBYTES_MIN);
static_assert(kBlake2bKeyBytesMax == crypto_generichash_KEYBYTES_MAX);

std::string Blake2b256(absl::string_view data) {
  internal::EnsureSodium();
  std::string digest(kBlake2b256Bytes, '\0');
  crypto_generichash(internal::MutableBytes(digest), digest.size(), internal::Bytes(data),
                     data.size(), /*key=*/nullptr, 0);
  return digest;
}

std::string Blake2b256Keyed(absl::string_view key, absl::string_view data) {
  internal::EnsureSodium();
  if (key.size() < kBlake2bKeyBytesMin || key.size() > kBlake2bKeyBytesMax) {
    ProgrammerError(absl::StrCat("crypto::Blake2b256Keyed: key must be ", kBlake2bKeyBytesMin,
                                 " to ", kBlake2bKeyBytesMax, " bytes, got ", key.size()));
  }
  std::string digest(kBlake2b256Bytes, '\0');
  crypto_generichash(internal::MutableBytes(digest), digest.size(), internal::Bytes(data),
                     data.size(), internal::Bytes(key), key.size());
  return digest;
}

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  internal::EnsureSodium();
  static_assert(kHmacSha256KeyBytes == crypto_auth_hmacsha256_KEYBYTES);
  static_assert(kHmacSha256Bytes == crypto_auth_hmacsha256_BYTES);
  RequireSize("crypto::HmacSha256", "key", key.size(), kHmacSha256KeyBytes);
  std::string mac(kHmacSha256Bytes, '\0');
  crypto_auth_hmacsha256(internal::MutableBytes(mac), internal::Bytes(data), data.size(),
                         internal::Bytes(key));
  return mac;
}

Blake2b256Hasher::Blake2b256Hasher() {
  internal::EnsureSodium();
  crypto_generichash_init(&state_, /*key=*/nullptr, 0, kBlake2b256Bytes);
}

void Blake2b256Hasher::Update(absl::string_view data) {
  if (finished_) {
    ProgrammerError("crypto::Blake2b256Hasher::Update called after Finish");
  }
  crypto_generichash_update(&state_, internal::Bytes(data), data.size());
}

std::string Blake2b256Hasher::Finish() {
  if (finished_) {
    ProgrammerError("crypto::Blake2b256Hasher::Finish called twice");
  }
  finished_ = true;
  std::string digest(kBlake2b256Bytes, '\0');
  crypto_generichash_final(&state_, internal::MutableBytes(digest), digest.size());
  return digest;
}

}  // namespace bitcontent::crypto
