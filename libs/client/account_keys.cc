#include "libs/client/account_keys.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/crypto/aead.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/random.h"
#include "libs/crypto/sealed_box.h"
#include "libs/crypto/subkey.h"

namespace bitcontent::client {
namespace {

// crypto_kdf contexts are exactly 8 characters.
constexpr char kPasswordContext[] = "bcpasswd";
constexpr char kRecoveryContext[] = "recovery";
constexpr uint64_t kAuthKeyId = 1;
constexpr uint64_t kKeyEncryptionKeyId = 2;
constexpr uint64_t kRecoveryAuthKeyId = 1;
// Associated data binds each wrapped key to its role, so a wrapped private key can
// never be passed off as a wrapped master key.
constexpr char kMasterKeyLabel[] = "bitcontent/master-key/v1";
constexpr char kPrivateKeyLabel[] = "bitcontent/box-secret-key/v1";

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kChecksumCharacters = 2;

std::string Base32(absl::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

int Base32Value(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

std::string Checksum(absl::string_view master_key) {
  return Base32(crypto::Blake2b256(master_key)).substr(0, kChecksumCharacters);
}

}  // namespace

accounts::v1::KdfParams ToProto(const crypto::KdfParams& params) {
  accounts::v1::KdfParams proto;
  proto.set_algorithm(accounts::v1::KDF_ALGORITHM_ARGON2ID13);
  proto.set_ops_limit(params.ops_limit);
  proto.set_mem_limit_bytes(params.mem_limit_bytes);
  return proto;
}

crypto::KdfParams FromProto(const accounts::v1::KdfParams& params) {
  return {.ops_limit = params.ops_limit(), .mem_limit_bytes = params.mem_limit_bytes()};
}

absl::StatusOr<PasswordKeys> DerivePasswordKeys(absl::string_view password, absl::string_view salt,
                                                const crypto::KdfParams& params) {
  absl::StatusOr<std::string> root = crypto::DeriveKeyFromPassword(password, salt, params);
  if (!root.ok()) return root.status();
  return PasswordKeys{
      .auth_key = crypto::DeriveSubkey(*root, kAuthKeyId, kPasswordContext),
      .key_encryption_key = crypto::DeriveSubkey(*root, kKeyEncryptionKeyId, kPasswordContext)};
}

absl::StatusOr<accounts::v1::PasswordEnvelope> RewrapMasterKey(absl::string_view password,
                                                               absl::string_view master_key,
                                                               const crypto::KdfParams& params) {
  const std::string salt = crypto::RandomBytes(crypto::kSaltBytes);
  absl::StatusOr<PasswordKeys> keys = DerivePasswordKeys(password, salt, params);
  if (!keys.ok()) return keys.status();
  accounts::v1::PasswordEnvelope envelope;
  envelope.set_salt(salt);
  *envelope.mutable_kdf_params() = ToProto(params);
  envelope.set_auth_key(keys->auth_key);
  envelope.set_wrapped_master_key(
      crypto::WrapKey(keys->key_encryption_key, master_key, kMasterKeyLabel));
  return envelope;
}

absl::StatusOr<NewAccount> CreateAccountKeys(absl::string_view password,
                                             const crypto::KdfParams& params) {
  NewAccount account;
  account.master_key = crypto::RandomBytes(kMasterKeyBytes);
  absl::StatusOr<accounts::v1::PasswordEnvelope> envelope =
      RewrapMasterKey(password, account.master_key, params);
  if (!envelope.ok()) return envelope.status();
  account.password = *std::move(envelope);
  const crypto::BoxKeyPair box = crypto::NewBoxKeyPair();
  account.public_key = box.public_key;
  account.wrapped_private_key =
      crypto::WrapKey(account.master_key, box.secret_key, kPrivateKeyLabel);
  account.recovery_auth_key = RecoveryAuthKey(account.master_key);
  return account;
}

absl::StatusOr<crypto::BoxKeyPair> UnwrapBoxKeys(const accounts::v1::KeyBundle& bundle,
                                                 absl::string_view master_key) {
  absl::StatusOr<std::string> secret =
      crypto::UnwrapKey(master_key, bundle.wrapped_private_key(), kPrivateKeyLabel);
  if (!secret.ok() || bundle.public_key().size() != 32) {
    return absl::DataLossError("your private key does not open with your master key");
  }
  return crypto::BoxKeyPair{.public_key = bundle.public_key(), .secret_key = *std::move(secret)};
}

absl::StatusOr<std::string> UnwrapMasterKey(const accounts::v1::KeyBundle& bundle,
                                            absl::string_view key_encryption_key) {
  absl::StatusOr<std::string> master =
      crypto::UnwrapKey(key_encryption_key, bundle.wrapped_master_key(), kMasterKeyLabel);
  if (!master.ok() || master->size() != kMasterKeyBytes) {
    return absl::DataLossError(
        "wrong password or damaged key bundle: the master key does not "
        "unwrap");
  }
  return master;
}

std::string RecoveryAuthKey(absl::string_view master_key) {
  return crypto::DeriveSubkey(master_key, kRecoveryAuthKeyId, kRecoveryContext);
}

std::string FormatRecoveryKey(absl::string_view master_key) {
  const std::string plain = absl::StrCat(Base32(master_key), Checksum(master_key));
  std::string grouped;
  for (size_t i = 0; i < plain.size(); ++i) {
    if (i > 0 && i % 4 == 0) grouped.push_back('-');
    grouped.push_back(plain[i]);
  }
  return grouped;
}

absl::StatusOr<std::string> ParseRecoveryKey(absl::string_view text) {
  std::string characters;
  for (char c : text) {
    if (c == '-' || absl::ascii_isspace(static_cast<unsigned char>(c))) continue;
    const char upper = absl::ascii_toupper(static_cast<unsigned char>(c));
    // Crockford base32 reads I and L as 1 and O as 0, the usual misreadings.
    characters.push_back(upper == 'I' || upper == 'L' ? '1' : upper == 'O' ? '0' : upper);
  }
  const size_t key_characters = (kMasterKeyBytes * 8 + 4) / 5;
  if (characters.size() != key_characters + kChecksumCharacters) {
    return absl::InvalidArgumentError(
        absl::StrCat("a recovery key has ", key_characters + kChecksumCharacters,
                     " characters (dashes and spaces aside); this one has ", characters.size()));
  }
  std::string key;
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < key_characters; ++i) {
    const int value = Base32Value(characters[i]);
    if (value < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", std::string(1, characters[i]), "' cannot be in a recovery key"));
    }
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      key.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  if (key.size() != kMasterKeyBytes || characters.substr(key_characters) != Checksum(key)) {
    return absl::InvalidArgumentError(
        "the recovery key's checksum does not match: check it for a typo");
  }
  return key;
}

}  // namespace bitcontent::client
