// Stable fake salts for PreLogin on emails that have no account, so that PreLogin's
// answer does not reveal whether an email is registered: the salt is a keyed BLAKE2b of
// the normalised email under a server secret, so asking twice gives the same salt (as a
// real one would) and nobody without the secret can tell it from a real random salt.
// The secret is created on first start and kept in RocksDB (family "secrets").
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/accounts/accounts_db.h"

namespace bitcontent::accounts {

class FakeSalts {
 public:
  // Loads the secret, creating and storing it on first use.
  static absl::StatusOr<FakeSalts> LoadOrCreate(const AccountsDb& db);

  // kSaltBytes bytes determined by `normal_email` and the secret.
  std::string For(absl::string_view normal_email) const;

 private:
  explicit FakeSalts(std::string key) : key_(std::move(key)) {}

  std::string key_;
};

}  // namespace bitcontent::accounts
