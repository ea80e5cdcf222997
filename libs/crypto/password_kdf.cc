#include "libs/crypto/password_kdf.h"

#include <sodium.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/crypto/sodium_support.h"

namespace bitcontent::crypto {
namespace {

static_assert(kSaltBytes == crypto_pwhash_argon2id_SALTBYTES);
static_assert(kDerivedKeyBytesMin >= crypto_pwhash_argon2id_BYTES_MIN);

constexpr uint64_t kOpsLimitMin = crypto_pwhash_argon2id_OPSLIMIT_MIN;
constexpr uint64_t kMemLimitBytesMin = crypto_pwhash_argon2id_MEMLIMIT_MIN;

absl::Status ValidatePassword(absl::string_view password) {
  if (password.size() > kPasswordBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat("password or secret is ", password.size(),
                                                   " bytes, more than the limit of ",
                                                   kPasswordBytesMax));
  }
  return absl::OkStatus();
}

// crypto_pwhash_str_verify and friends read a NUL-terminated string: copy the hash into
// one, refusing hashes with an embedded NUL or longer than libsodium's buffer.
bool ToHashCString(absl::string_view hash, std::string* c_string) {
  if (hash.size() >= crypto_pwhash_argon2id_STRBYTES ||
      std::find(hash.begin(), hash.end(), '\0') != hash.end()) {
    return false;
  }
  *c_string = std::string(hash);
  return true;
}

}  // namespace

KdfParams InteractiveKdfParams() {
  return {.ops_limit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
          .mem_limit_bytes = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

KdfParams TestKdfParams() {
  return {.ops_limit = kOpsLimitMin, .mem_limit_bytes = kMemLimitBytesMin};
}

absl::Status ValidateKdfParams(const KdfParams& params) {
  if (params.ops_limit < kOpsLimitMin || params.ops_limit > kKdfOpsLimitMax) {
    return absl::InvalidArgumentError(absl::StrCat("Argon2id ops_limit ", params.ops_limit,
                                                   " is outside [", kOpsLimitMin, ", ",
                                                   kKdfOpsLimitMax, "]"));
  }
  if (params.mem_limit_bytes < kMemLimitBytesMin || params.mem_limit_bytes > kKdfMemLimitBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("Argon2id mem_limit_bytes ", params.mem_limit_bytes, " is outside [",
                     kMemLimitBytesMin, ", ", kKdfMemLimitBytesMax, "]"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> DeriveKeyFromPassword(absl::string_view password,
                                                  absl::string_view salt, const KdfParams& params,
                                                  size_t key_bytes) {
  internal::EnsureSodium();
  if (absl::Status status = ValidateKdfParams(params); !status.ok()) return status;
  if (absl::Status status = ValidatePassword(password); !status.ok()) return status;
  if (salt.size() != kSaltBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("salt must be ", kSaltBytes, " bytes, got ", salt.size()));
  }
  if (key_bytes < kDerivedKeyBytesMin || key_bytes > kDerivedKeyBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat("derived key size ", key_bytes, " is outside [",
                                                   kDerivedKeyBytesMin, ", ", kDerivedKeyBytesMax,
                                                   "]"));
  }
  std::string key(key_bytes, '\0');
  if (crypto_pwhash(internal::MutableBytes(key), key.size(), password.data(), password.size(),
                    internal::Bytes(salt), params.ops_limit,
                    static_cast<size_t>(params.mem_limit_bytes),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError(absl::StrCat("Argon2id could not allocate its ",
                                                     params.mem_limit_bytes, " bytes of memory"));
  }
  return key;
}

absl::StatusOr<std::string> HashSecret(absl::string_view secret, const KdfParams& params) {
  internal::EnsureSodium();
  if (absl::Status status = ValidateKdfParams(params); !status.ok()) return status;
  if (absl::Status status = ValidatePassword(secret); !status.ok()) return status;
  char hash[crypto_pwhash_argon2id_STRBYTES] = {};
  if (crypto_pwhash_argon2id_str(hash, secret.data(), secret.size(), params.ops_limit,
                                 static_cast<size_t>(params.mem_limit_bytes)) != 0) {
    return absl::ResourceExhaustedError(absl::StrCat("Argon2id could not allocate its ",
                                                     params.mem_limit_bytes, " bytes of memory"));
  }
  return std::string(hash);
}

bool VerifySecret(absl::string_view hash, absl::string_view secret) {
  internal::EnsureSodium();
  std::string hash_c_string;
  if (secret.size() > kPasswordBytesMax || !ToHashCString(hash, &hash_c_string)) {
    return false;
  }
  return crypto_pwhash_argon2id_str_verify(hash_c_string.c_str(), secret.data(), secret.size()) ==
         0;
}

bool SecretHashNeedsRehash(absl::string_view hash, const KdfParams& params) {
  internal::EnsureSodium();
  std::string hash_c_string;
  if (!ToHashCString(hash, &hash_c_string)) {
    return true;
  }
  // 0: same parameters; 1: different; -1: not an Argon2id hash. Both of the latter call
  // for a new hash.
  return crypto_pwhash_argon2id_str_needs_rehash(hash_c_string.c_str(), params.ops_limit,
                                                 static_cast<size_t>(params.mem_limit_bytes)) != 0;
}

}  // namespace bitcontent::crypto
