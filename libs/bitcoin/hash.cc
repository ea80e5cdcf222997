#include "libs/bitcoin/hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>

namespace bitcontent::bitcoin {
namespace {

// OpenSSL fails here only when it cannot allocate or its default provider is missing:
// no request causes that, so the process stops loudly instead of deriving a wrong key.
[[noreturn]] void OpenSslFailed(const char* what) {
  std::fprintf(stderr, "bitcoin: OpenSSL %s failed\n", what);
  std::abort();
}

const unsigned char* Bytes(absl::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

}  // namespace

std::string Sha256(absl::string_view data) {
  std::string digest(kSha256Bytes, '\0');
  unsigned int written = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(digest.data()),
                 &written, EVP_sha256(), nullptr) != 1 ||
      written != kSha256Bytes) {
    OpenSslFailed("SHA-256");
  }
  return digest;
}

std::string DoubleSha256(absl::string_view data) { return Sha256(Sha256(data)); }

std::string HmacSha512(absl::string_view key, absl::string_view data) {
  std::string mac(kSha512Bytes, '\0');
  unsigned int written = 0;
  if (HMAC(EVP_sha512(), key.data(), static_cast<int>(key.size()), Bytes(data), data.size(),
           reinterpret_cast<unsigned char*>(mac.data()), &written) == nullptr ||
      written != kSha512Bytes) {
    OpenSslFailed("HMAC-SHA512");
  }
  return mac;
}

std::string Hash160(absl::string_view data) { return Ripemd160(Sha256(data)); }

}  // namespace bitcontent::bitcoin
