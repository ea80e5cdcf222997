// SigningKeys: the Ed25519 keys a service signs one kind of token with (accounts: access
// tokens; metadata: capability grants; pricing: quotes and receipts). Created on the
// service's first start and kept in a column family of its RocksDB, so what it signed
// stays valid across restarts; the public halves are published (each service's
// List*SigningKeys RPC) and loaded into the KeyRing the service itself verifies with.
// Rotation will add keys next to the current one; the newest without a not_after_time
// signs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/common/v1/keys.pb.h"
#include "libs/auth/key_ring.h"
#include "libs/auth/signed_token.h"
#include "libs/store/store.h"

namespace bitcontent::keystore {

struct SigningKeyOptions {
  // What the keys sign; published with each key, checked by verifiers.
  common::v1::KeyPurpose purpose = common::v1::KEY_PURPOSE_UNSPECIFIED;
  // The issuer name in published keys: "accounts", "metadata".
  std::string issuer = {};
  // The start of key ids, for people reading logs: "acc" gives "acc-20260601-1a2b3c4d".
  std::string key_id_prefix = {};
};

class SigningKeys {
 public:
  // Loads the keys stored in `family`, creating (and durably storing) the first one when
  // there is none. `db` must outlive the call only.
  static absl::StatusOr<std::unique_ptr<SigningKeys>> LoadOrCreate(store::Store& db,
                                                                   store::ColumnFamily family,
                                                                   const SigningKeyOptions& options,
                                                                   absl::Time now);

  // The key that signs.
  const auth::SigningKey& current() const { return current_; }

  // Every key's public half, current and retired, for publishing.
  const std::vector<common::v1::PublicKey>& public_keys() const { return public_keys_; }

  // The ring that verifies what these keys signed.
  const auth::KeyRing& keyring() const { return keyring_; }

 private:
  SigningKeys() = default;

  auth::SigningKey current_;
  std::vector<common::v1::PublicKey> public_keys_;
  auth::KeyRing keyring_;
};

}  // namespace bitcontent::keystore
