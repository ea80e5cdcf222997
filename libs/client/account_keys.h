// The client side of the zero-knowledge account model (DESIGN.md, "Trust model"): what
// a client derives from a password, and the keys it creates at sign-up. Nothing here
// talks to a server; the CLI and the integration tests both use it, so tests exercise
// exactly what a real client does.
//
//   password --Argon2id(salt, params)--> root key --crypto_kdf--> auth key (sent to the
//   server, which stores only its own hash of it) and key-encryption key (never leaves
//   the client; wraps the random master key).
//   master key --crypto_kdf--> recovery auth key (proves possession of the recovery key)
//   master key wraps the X25519 private key that shares are sealed to.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/accounts/v1/users.pb.h"
#include "libs/crypto/password_kdf.h"
#include "libs/crypto/sealed_box.h"

namespace bitcontent::client {

inline constexpr size_t kMasterKeyBytes = 32;

// The two subkeys of a password.
struct PasswordKeys {
  std::string auth_key = {};
  std::string key_encryption_key = {};
};

// Derives both subkeys from `password` with the account's salt and parameters.
absl::StatusOr<PasswordKeys> DerivePasswordKeys(absl::string_view password, absl::string_view salt,
                                                const crypto::KdfParams& params);

// Everything a new account (or a claimed legacy one) sends at sign-up, plus the master
// key the client keeps.
struct NewAccount {
  accounts::v1::PasswordEnvelope password = {};
  std::string public_key = {};
  std::string wrapped_private_key = {};
  std::string recovery_auth_key = {};
  std::string master_key = {};
};

// Creates a random master key and X25519 key pair and wraps them under `password`.
absl::StatusOr<NewAccount> CreateAccountKeys(absl::string_view password,
                                             const crypto::KdfParams& params);

// A new password envelope for an existing master key (password change, recovery):
// new salt, new auth key, the same master key re-wrapped.
absl::StatusOr<accounts::v1::PasswordEnvelope> RewrapMasterKey(absl::string_view password,
                                                               absl::string_view master_key,
                                                               const crypto::KdfParams& params);

// Unwraps the master key from a key bundle with the key-encryption key of the
// password. DataLoss ("wrong password or damaged key bundle") when it does not open.
absl::StatusOr<std::string> UnwrapMasterKey(const accounts::v1::KeyBundle& bundle,
                                            absl::string_view key_encryption_key);

// The member's X25519 key pair from a key bundle and the master key, to open what was
// sealed to them (shared folder keys). DataLoss when the bundle does not open.
absl::StatusOr<crypto::BoxKeyPair> UnwrapBoxKeys(const accounts::v1::KeyBundle& bundle,
                                                 absl::string_view master_key);

// The value the server stores the hash of, to check a recovery attempt.
std::string RecoveryAuthKey(absl::string_view master_key);

// The recovery key a member writes down: the master key in Crockford base32 groups of
// four, with a 2-character checksum so a typo is caught before any request, e.g.
// "7Q2M-....-K3". FormatRecoveryKey / ParseRecoveryKey are inverses; parsing ignores
// case, spaces and dashes.
std::string FormatRecoveryKey(absl::string_view master_key);
absl::StatusOr<std::string> ParseRecoveryKey(absl::string_view text);

// The parameters this client uses for new passwords, as proto and as crypto types.
accounts::v1::KdfParams ToProto(const crypto::KdfParams& params);
crypto::KdfParams FromProto(const accounts::v1::KdfParams& params);

}  // namespace bitcontent::client
