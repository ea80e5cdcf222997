// PricingKeys: pricing's own keys, created on the first start and kept in pricing's
// RocksDB (--data_dir), so what it signed and what creators sealed to it stay valid
// across restarts:
//   - the X25519 escrow key creators seal file keys to when they put a file on sale
//     (KEY_PURPOSE_KEY_ESCROW);
//   - the Ed25519 keys that sign quotes (KEY_PURPOSE_QUOTE, a common.v1.SignedToken) and
//     receipts (KEY_PURPOSE_RECEIPT, compact JWS), kept by libs/keystore as accounts and
//     metadata keep theirs;
//   - the secret under which receipts name buyers pseudonymously (buyer_ref).
// ListPricingKeys publishes the public halves (public_keys()).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/common/v1/keys.pb.h"
#include "libs/crypto/sealed_box.h"
#include "libs/keystore/signing_keys.h"
#include "services/pricing/pricing_db.h"

namespace bitcontent::pricing {

inline constexpr char kPricingIssuer[] = "pricing";

class PricingKeys {
 public:
  // Loads the keys from `db`, creating (and durably storing) those missing.
  static absl::StatusOr<std::unique_ptr<PricingKeys>> LoadOrCreate(const PricingDb& db,
                                                                   absl::Time now);

  const keystore::SigningKeys& quote_keys() const { return *quote_keys_; }
  const keystore::SigningKeys& receipt_keys() const { return *receipt_keys_; }
  // The escrow key pair creators seal to, and its id.
  const crypto::BoxKeyPair& escrow() const { return escrow_; }
  const std::string& escrow_key_id() const { return escrow_key_id_; }
  // The HMAC-SHA256 key of buyer_ref (32 bytes).
  const std::string& buyer_ref_secret() const { return buyer_ref_secret_; }

  // Every public key pricing publishes: escrow, quote and receipt keys.
  std::vector<common::v1::PublicKey> public_keys() const;

 private:
  PricingKeys() = default;

  std::unique_ptr<keystore::SigningKeys> quote_keys_;
  std::unique_ptr<keystore::SigningKeys> receipt_keys_;
  crypto::BoxKeyPair escrow_;
  std::string escrow_key_id_;
  common::v1::PublicKey escrow_public_;
  std::string buyer_ref_secret_;
};

}  // namespace bitcontent::pricing
