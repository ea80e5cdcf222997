// What a client derives, for the accounts tests: the same steps a real client takes
// (DESIGN.md, "Trust model"), with libs/crypto and Argon2id at TestKdfParams so that
// tests stay fast. Used by the unit tests and by tests/integration/accounts_test.cc.
//
//   password --Argon2id(salt)--> root --crypto_kdf "bcpasswd"--> auth key (1), KEK (2)
//   random master key, wrapped by the KEK; X25519 key pair, private half wrapped by the
//   master key; recovery auth key = crypto_kdf(master key, 1, "recovery").
#pragma once

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "libs/crypto/aead.h"
#include "libs/crypto/password_kdf.h"
#include "libs/crypto/random.h"
#include "libs/crypto/sealed_box.h"
#include "libs/crypto/subkey.h"

namespace bitcontent::accounts::testing {

inline constexpr char kPasswordContext[] = "bcpasswd";
inline constexpr char kRecoveryContext[] = "recovery";
inline constexpr absl::string_view kMasterKeyAd = "bitcontent/master-key/v1";
inline constexpr absl::string_view kPrivateKeyAd = "bitcontent/x25519-private-key/v1";

struct PasswordKeys {
  std::string auth_key;
  std::string key_encryption_key;
};

struct ClientKeys {
  std::string password;
  std::string master_key;
  std::string recovery_auth_key;
  crypto::BoxKeyPair box;
  std::string wrapped_private_key;
  PasswordKeys password_keys;
  v1::PasswordEnvelope envelope;
};

// The subkeys of `password` under `salt` and `params`, as a client derives them.
inline PasswordKeys DerivePasswordKeys(absl::string_view password, absl::string_view salt,
                                       const crypto::KdfParams& params) {
  const std::string root = crypto::DeriveKeyFromPassword(password, salt, params).value();
  return {.auth_key = crypto::DeriveSubkey(root, 1, kPasswordContext),
          .key_encryption_key = crypto::DeriveSubkey(root, 2, kPasswordContext)};
}

inline v1::KdfParams ToProto(const crypto::KdfParams& params) {
  v1::KdfParams proto;
  proto.set_algorithm(v1::KDF_ALGORITHM_ARGON2ID13);
  proto.set_ops_limit(params.ops_limit);
  proto.set_mem_limit_bytes(params.mem_limit_bytes);
  return proto;
}

// A password envelope holding `master_key` under `password` with a fresh salt.
inline v1::PasswordEnvelope Envelope(absl::string_view password, absl::string_view master_key,
                                     PasswordKeys* keys_out = nullptr) {
  const crypto::KdfParams params = crypto::TestKdfParams();
  v1::PasswordEnvelope envelope;
  envelope.set_salt(crypto::RandomBytes(crypto::kSaltBytes));
  *envelope.mutable_kdf_params() = ToProto(params);
  const PasswordKeys keys = DerivePasswordKeys(password, envelope.salt(), params);
  envelope.set_auth_key(keys.auth_key);
  envelope.set_wrapped_master_key(
      crypto::WrapKey(keys.key_encryption_key, master_key, kMasterKeyAd));
  if (keys_out != nullptr) *keys_out = keys;
  return envelope;
}

// A new member's keys, made from `password` exactly as a client makes them at sign-up.
inline ClientKeys NewClientKeys(absl::string_view password) {
  ClientKeys keys;
  keys.password = std::string(password);
  keys.master_key = crypto::RandomBytes(32);
  keys.recovery_auth_key = crypto::DeriveSubkey(keys.master_key, 1, kRecoveryContext);
  keys.box = crypto::NewBoxKeyPair();
  keys.wrapped_private_key = crypto::WrapKey(keys.master_key, keys.box.secret_key, kPrivateKeyAd);
  keys.envelope = Envelope(password, keys.master_key, &keys.password_keys);
  return keys;
}

// The same master key re-wrapped under `new_password` (password change, recovery).
inline ClientKeys Rewrapped(const ClientKeys& keys, absl::string_view new_password) {
  ClientKeys changed = keys;
  changed.password = std::string(new_password);
  changed.envelope = Envelope(new_password, keys.master_key, &changed.password_keys);
  return changed;
}

// The master key a client unwraps from a key bundle with `password`; empty on failure.
inline std::string UnwrapMasterKey(const v1::KeyBundle& bundle, absl::string_view password) {
  const PasswordKeys keys =
      DerivePasswordKeys(password, bundle.salt(),
                         {.ops_limit = bundle.kdf_params().ops_limit(),
                          .mem_limit_bytes = bundle.kdf_params().mem_limit_bytes()});
  return crypto::UnwrapKey(keys.key_encryption_key, bundle.wrapped_master_key(), kMasterKeyAd)
      .value_or("");
}

inline v1::DeviceInfo Device(absl::string_view name) {
  v1::DeviceInfo device;
  device.set_device_id(absl::StrCat("device-", absl::StrReplaceAll(name, {{" ", "-"}})));
  device.set_display_name(std::string(name));
  device.set_platform("accounts-test");
  return device;
}

inline v1::SignUpRequest SignUpRequestFor(absl::string_view email, const ClientKeys& keys,
                                          absl::string_view device = "laptop") {
  v1::SignUpRequest request;
  request.set_email(std::string(email));
  *request.mutable_password() = keys.envelope;
  request.set_public_key(keys.box.public_key);
  request.set_wrapped_private_key(keys.wrapped_private_key);
  request.set_recovery_auth_key(keys.recovery_auth_key);
  *request.mutable_device() = Device(device);
  return request;
}

// A login as a client does it: derive the auth key from PreLogin's salt and parameters.
inline v1::LoginRequest LoginRequestFor(absl::string_view email, absl::string_view password,
                                        const v1::PreLoginResponse& pre_login,
                                        absl::string_view device = "phone") {
  v1::LoginRequest request;
  request.set_email(std::string(email));
  request.set_auth_key(
      DerivePasswordKeys(password, pre_login.salt(),
                         {.ops_limit = pre_login.kdf_params().ops_limit(),
                          .mem_limit_bytes = pre_login.kdf_params().mem_limit_bytes()})
          .auth_key);
  *request.mutable_device() = Device(device);
  return request;
}

}  // namespace bitcontent::accounts::testing
