// The server's own Argon2id hash of each member's authentication key, and the dummy
// verification that makes a login for an unknown email cost the same time as one for a
// known email with a wrong password (so timing does not reveal which emails exist).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/crypto/password_kdf.h"

namespace bitcontent::accounts {

class AuthKeyHasher {
 public:
  // `params` come from --auth_key_hash_ops / --auth_key_hash_mem_bytes. Hashes a random
  // key once, for the dummy verifications.
  static absl::StatusOr<AuthKeyHasher> Create(const crypto::KdfParams& params);

  // A fresh "$argon2id$..." hash of `auth_key`.
  absl::StatusOr<std::string> Hash(absl::string_view auth_key) const;

  // True when `auth_key` matches `hash`.
  bool Verify(absl::string_view hash, absl::string_view auth_key) const;

  // Spends the time of one verification and returns false; for unknown emails.
  bool VerifyAgainstDummy(absl::string_view auth_key) const;

  // True when `hash` uses other parameters than the configured ones.
  bool NeedsRehash(absl::string_view hash) const;

  const crypto::KdfParams& params() const { return params_; }

 private:
  AuthKeyHasher(crypto::KdfParams params, std::string dummy_hash)
      : params_(params), dummy_hash_(std::move(dummy_hash)) {}

  crypto::KdfParams params_;
  std::string dummy_hash_;
};

}  // namespace bitcontent::accounts
