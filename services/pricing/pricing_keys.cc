#include "services/pricing/pricing_keys.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/random.h"
#include "libs/store/record_io.h"
#include "services/pricing/pricing_records.pb.h"

namespace bitcontent::pricing {
namespace {

constexpr char kBuyerRefSecret[] = "buyer-ref";

// The escrow key: the one stored, or a new one made and stored durably. One key serves
// until rotation is built (a rotation keeps the old secret to open what was sealed to it).
absl::StatusOr<storage::EscrowKeyRecord> LoadOrCreateEscrow(const PricingDb& db, absl::Time now) {
  store::PrefixIterator it = db.store().Scan(db.escrow_keys, {.limit = 1});
  if (it.Valid()) {
    return store::ParseRecord<storage::EscrowKeyRecord>(db.escrow_keys, it.value());
  }
  if (!it.status().ok()) return it.status();
  const crypto::BoxKeyPair pair = crypto::NewBoxKeyPair();
  storage::EscrowKeyRecord record;
  record.set_key_id(absl::StrCat("pe-", absl::FormatTime("%Y%m%d", now, absl::UTCTimeZone()), "-",
                                 crypto::HexEncode(crypto::RandomBytes(4))));
  record.set_public_key(pair.public_key);
  record.set_secret_key(pair.secret_key);
  record.set_not_before_time_us(absl::ToUnixMicros(now - absl::Minutes(1)));
  store::WriteBatch batch;
  store::PutRecord(&batch, db.escrow_keys, record.key_id(), record);
  if (absl::Status s = db.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return record;
}

absl::StatusOr<std::string> LoadOrCreateSecret(const PricingDb& db, std::string_view name) {
  absl::StatusOr<std::string> stored = db.store().Get(db.secrets, name);
  if (stored.ok() || !absl::IsNotFound(stored.status())) return stored;
  const std::string secret = crypto::RandomBytes(crypto::kHmacSha256KeyBytes);
  if (absl::Status s = db.store().Put(db.secrets, name, secret, {.sync = true}); !s.ok()) return s;
  return secret;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PricingKeys>> PricingKeys::LoadOrCreate(const PricingDb& db,
                                                                       absl::Time now) {
  std::unique_ptr<PricingKeys> keys(new PricingKeys());
  absl::StatusOr<std::unique_ptr<keystore::SigningKeys>> quote =
      keystore::SigningKeys::LoadOrCreate(db.store(), db.quote_keys,
                                          {.purpose = common::v1::KEY_PURPOSE_QUOTE,
                                           .issuer = kPricingIssuer,
                                           .key_id_prefix = "pq"},
                                          now);
  if (!quote.ok()) return quote.status();
  keys->quote_keys_ = *std::move(quote);
  absl::StatusOr<std::unique_ptr<keystore::SigningKeys>> receipt =
      keystore::SigningKeys::LoadOrCreate(db.store(), db.receipt_keys,
                                          {.purpose = common::v1::KEY_PURPOSE_RECEIPT,
                                           .issuer = kPricingIssuer,
                                           .key_id_prefix = "pr"},
                                          now);
  if (!receipt.ok()) return receipt.status();
  keys->receipt_keys_ = *std::move(receipt);

  absl::StatusOr<storage::EscrowKeyRecord> escrow = LoadOrCreateEscrow(db, now);
  if (!escrow.ok()) return escrow.status();
  keys->escrow_ = {.public_key = escrow->public_key(), .secret_key = escrow->secret_key()};
  keys->escrow_key_id_ = escrow->key_id();
  common::v1::PublicKey& published = keys->escrow_public_;
  published.set_key_id(escrow->key_id());
  published.set_algorithm(common::v1::KEY_ALGORITHM_X25519);
  published.set_purpose(common::v1::KEY_PURPOSE_KEY_ESCROW);
  published.set_public_key(escrow->public_key());
  published.set_issuer(kPricingIssuer);
  *published.mutable_not_before_time() =
      auth::ProtoFromTime(absl::FromUnixMicros(escrow->not_before_time_us()));

  absl::StatusOr<std::string> secret = LoadOrCreateSecret(db, kBuyerRefSecret);
  if (!secret.ok()) return secret.status();
  keys->buyer_ref_secret_ = *std::move(secret);
  return keys;
}

std::vector<common::v1::PublicKey> PricingKeys::public_keys() const {
  std::vector<common::v1::PublicKey> keys = {escrow_public_};
  for (const auto& key : quote_keys_->public_keys()) keys.push_back(key);
  for (const auto& key : receipt_keys_->public_keys()) keys.push_back(key);
  return keys;
}

}  // namespace bitcontent::pricing
