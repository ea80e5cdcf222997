// The Ed25519 key accounts signs access tokens with. Created on the service's first
// start and kept in its RocksDB (family "signing_keys"), so tokens stay valid across
// restarts; the public halves are published by ListTokenSigningKeys (the gateway serves
// them at GET /v1/keys) and loaded into the KeyRing accounts itself verifies with.
// Rotation will add keys next to the current one; the newest without a not_after_time
// signs.
#pragma once

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/common/v1/keys.pb.h"
#include "libs/auth/key_ring.h"
#include "libs/auth/signed_token.h"
#include "services/accounts/accounts_db.h"

namespace bitcontent::accounts {

// The issuer name in published keys.
inline constexpr absl::string_view kIssuer = "accounts";

class SigningKeys {
 public:
  // Loads the stored keys, creating (and durably storing) the first one when there is
  // none.
  static absl::StatusOr<std::unique_ptr<SigningKeys>> LoadOrCreate(const AccountsDb& db,
                                                                   absl::Time now);

  // The key that signs new access tokens.
  const auth::SigningKey& current() const { return current_; }

  // Every key's public half, current and retired, for ListTokenSigningKeys.
  const std::vector<common::v1::PublicKey>& public_keys() const { return public_keys_; }

  // The ring accounts verifies its own tokens with.
  const auth::KeyRing& keyring() const { return keyring_; }

 private:
  SigningKeys() = default;

  auth::SigningKey current_;
  std::vector<common::v1::PublicKey> public_keys_;
  auth::KeyRing keyring_;
};

}  // namespace bitcontent::accounts
