#include "libs/client/account_keys.h"

#include <catch2/catch.hpp>

#include "libs/crypto/password_kdf.h"

namespace bitcontent::client {
namespace {

TEST_CASE("the master key unwraps with the right password only") {
  const crypto::KdfParams params = crypto::TestKdfParams();
  absl::StatusOr<NewAccount> account = CreateAccountKeys("correct horse", params);
  REQUIRE(account.ok());
  CHECK(account->master_key.size() == kMasterKeyBytes);
  CHECK(account->password.salt().size() == crypto::kSaltBytes);
  CHECK(account->password.auth_key().size() == 32);
  CHECK(account->public_key.size() == 32);

  accounts::v1::KeyBundle bundle;
  bundle.set_salt(account->password.salt());
  *bundle.mutable_kdf_params() = account->password.kdf_params();
  bundle.set_wrapped_master_key(account->password.wrapped_master_key());

  absl::StatusOr<PasswordKeys> right = DerivePasswordKeys("correct horse", bundle.salt(), params);
  REQUIRE(right.ok());
  CHECK(right->auth_key == account->password.auth_key());
  absl::StatusOr<std::string> master = UnwrapMasterKey(bundle, right->key_encryption_key);
  REQUIRE(master.ok());
  CHECK(*master == account->master_key);

  absl::StatusOr<PasswordKeys> wrong = DerivePasswordKeys("battery staple", bundle.salt(), params);
  REQUIRE(wrong.ok());
  CHECK(wrong->auth_key != account->password.auth_key());
  CHECK(UnwrapMasterKey(bundle, wrong->key_encryption_key).status().code() ==
        absl::StatusCode::kDataLoss);
}

TEST_CASE("the auth key reveals neither the key-encryption key nor the master key") {
  absl::StatusOr<NewAccount> account = CreateAccountKeys("pw", crypto::TestKdfParams());
  REQUIRE(account.ok());
  absl::StatusOr<PasswordKeys> keys =
      DerivePasswordKeys("pw", account->password.salt(), crypto::TestKdfParams());
  REQUIRE(keys.ok());
  CHECK(keys->auth_key != keys->key_encryption_key);
  CHECK(account->password.wrapped_master_key().find(account->master_key) == std::string::npos);
  CHECK(account->wrapped_private_key.find(account->master_key) == std::string::npos);
}

TEST_CASE("re-wrapping keeps the master key under a new password and salt") {
  const crypto::KdfParams params = crypto::TestKdfParams();
  absl::StatusOr<NewAccount> account = CreateAccountKeys("old", params);
  REQUIRE(account.ok());
  absl::StatusOr<accounts::v1::PasswordEnvelope> envelope =
      RewrapMasterKey("new", account->master_key, params);
  REQUIRE(envelope.ok());
  CHECK(envelope->salt() != account->password.salt());
  accounts::v1::KeyBundle bundle;
  bundle.set_wrapped_master_key(envelope->wrapped_master_key());
  absl::StatusOr<PasswordKeys> keys = DerivePasswordKeys("new", envelope->salt(), params);
  REQUIRE(keys.ok());
  CHECK(UnwrapMasterKey(bundle, keys->key_encryption_key).value_or("") == account->master_key);
}

TEST_CASE("a recovery key round-trips and survives case, spaces and look-alike letters") {
  const std::string master(32, '\x5a');
  const std::string text = FormatRecoveryKey(master);
  CHECK(text.size() == 54 + 13);  // 54 characters in groups of four.
  CHECK(ParseRecoveryKey(text).value_or("") == master);

  std::string sloppy;
  for (char c : text) {
    if (c == '-') {
      sloppy.push_back(' ');
    } else if (c == '0') {
      sloppy.push_back('o');
    } else if (c == '1') {
      sloppy.push_back('l');
    } else {
      sloppy.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  CHECK(ParseRecoveryKey(sloppy).value_or("") == master);
}

TEST_CASE("a mistyped recovery key is refused before anything is sent") {
  const std::string text = FormatRecoveryKey(std::string(32, '\x01'));
  std::string typo = text;
  typo[5] = typo[5] == 'A' ? 'B' : 'A';
  CHECK_THAT(std::string(ParseRecoveryKey(typo).status().message()), Catch::Contains("checksum"));
  CHECK_THAT(std::string(ParseRecoveryKey(text.substr(0, 20)).status().message()),
             Catch::Contains("characters"));
  CHECK_FALSE(ParseRecoveryKey(text + "U").ok());
}

}  // namespace
}  // namespace bitcontent::client
