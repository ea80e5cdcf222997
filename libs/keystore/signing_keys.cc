#include "libs/keystore/signing_keys.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"
#include "libs/crypto/signing.h"
#include "libs/keystore/records.pb.h"
#include "libs/store/record_io.h"

namespace bitcontent::keystore {
namespace {

// "acc-20260601-1a2b3c4d": the creation day for people, random bits for uniqueness.
std::string NewKeyId(absl::string_view prefix, absl::Time now) {
  return absl::StrCat(prefix, "-", absl::FormatTime("%Y%m%d", now, absl::UTCTimeZone()), "-",
                      crypto::HexEncode(crypto::RandomBytes(4)));
}

absl::StatusOr<storage::SigningKeyRecord> CreateKey(store::Store& db, store::ColumnFamily family,
                                                    absl::string_view prefix, absl::Time now) {
  const std::string seed = crypto::RandomBytes(crypto::kSigningSeedBytes);
  storage::SigningKeyRecord record;
  record.set_key_id(NewKeyId(prefix, now));
  record.set_seed(seed);
  record.set_public_key(crypto::SigningKeyPairFromSeed(seed).public_key);
  // Back-dated by a minute so that verifiers whose clocks lag a little accept it.
  *record.mutable_not_before_time() = auth::ProtoFromTime(now - absl::Minutes(1));
  store::WriteBatch batch;
  store::PutRecord(&batch, family, record.key_id(), record);
  if (absl::Status s = db.Write(&batch, {.sync = true}); !s.ok()) return s;
  return record;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SigningKeys>> SigningKeys::LoadOrCreate(
    store::Store& db, store::ColumnFamily family, const SigningKeyOptions& options,
    absl::Time now) {
  std::vector<storage::SigningKeyRecord> records;
  store::PrefixIterator it = db.Scan(family, {});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<storage::SigningKeyRecord> record =
        store::ParseRecord<storage::SigningKeyRecord>(family, it.value());
    if (!record.ok()) return record.status();
    records.push_back(std::move(*record));
  }
  if (!it.status().ok()) return it.status();
  if (records.empty()) {
    absl::StatusOr<storage::SigningKeyRecord> created =
        CreateKey(db, family, options.key_id_prefix, now);
    if (!created.ok()) return created.status();
    records.push_back(std::move(*created));
  }

  std::unique_ptr<SigningKeys> keys(new SigningKeys());
  const storage::SigningKeyRecord* newest = nullptr;
  for (const storage::SigningKeyRecord& record : records) {
    auth::SigningKey key{.key_id = record.key_id(),
                         .key_pair = crypto::SigningKeyPairFromSeed(record.seed())};
    common::v1::PublicKey published = auth::PublicKeyOf(
        key, options.purpose, options.issuer, auth::TimeFromProto(record.not_before_time()));
    if (record.has_not_after_time()) {
      *published.mutable_not_after_time() = record.not_after_time();
    } else if (newest == nullptr || auth::TimeFromProto(record.not_before_time()) >
                                        auth::TimeFromProto(newest->not_before_time())) {
      newest = &record;
    }
    if (absl::Status s = keys->keyring_.Add(published); !s.ok()) return s;
    keys->public_keys_.push_back(std::move(published));
  }
  if (newest == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(options.issuer, ": every signing key is retired; none can sign"));
  }
  keys->current_ = {.key_id = newest->key_id(),
                    .key_pair = crypto::SigningKeyPairFromSeed(newest->seed())};
  return keys;
}

}  // namespace bitcontent::keystore
