#include "services/accounts/auth_key_hasher.h"

#include "libs/crypto/random.h"
#include "services/accounts/limits.h"

namespace bitcontent::accounts {

absl::StatusOr<AuthKeyHasher> AuthKeyHasher::Create(const crypto::KdfParams& params) {
  absl::StatusOr<std::string> dummy =
      crypto::HashSecret(crypto::RandomBytes(kAuthKeyBytes), params);
  if (!dummy.ok()) return dummy.status();
  return AuthKeyHasher(params, std::move(*dummy));
}

absl::StatusOr<std::string> AuthKeyHasher::Hash(absl::string_view auth_key) const {
  return crypto::HashSecret(auth_key, params_);
}

bool AuthKeyHasher::Verify(absl::string_view hash, absl::string_view auth_key) const {
  return crypto::VerifySecret(hash, auth_key);
}

bool AuthKeyHasher::VerifyAgainstDummy(absl::string_view auth_key) const {
  // The result is ignored on purpose: nobody knows the dummy's key.
  (void)crypto::VerifySecret(dummy_hash_, auth_key);
  return false;
}

bool AuthKeyHasher::NeedsRehash(absl::string_view hash) const {
  return crypto::SecretHashNeedsRehash(hash, params_);
}

}  // namespace bitcontent::accounts
