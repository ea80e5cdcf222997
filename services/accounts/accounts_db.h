// The accounts service's RocksDB: its column families and how their keys are made.
// Every domain class takes an AccountsDb and writes each multi-record change as one
// store::WriteBatch committed with sync=true, so a crash never leaves half a change.
//
// Keys are fixed-width where they are composite: user ids and other resource ids are
// 26 characters (libs/ids), so "user id || child id" needs no separator and a prefix scan
// on the user id lists that member's children in creation order. Times in keys are
// 8-byte big-endian microseconds (libs/store/key_encoding.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/store/store.h"

namespace bitcontent::accounts {

class AccountsDb {
 public:
  // Opens (or creates) the store at `path` with every family below.
  static absl::StatusOr<std::unique_ptr<store::Store>> OpenStore(const std::string& path);

  // The family names OpenStore opens.
  static std::vector<std::string> FamilyNames();

  // Resolves the families of a store opened by OpenStore. The store must outlive this.
  explicit AccountsDb(store::Store* store);

  store::Store& store() const { return *store_; }

  // user id -> UserRecord.
  const store::ColumnFamily users;
  // normalised email -> user id.
  const store::ColumnFamily emails;
  // legacy id -> user id.
  const store::ColumnFamily legacy_ids;
  // user id || session id -> SessionRecord.
  const store::ColumnFamily sessions;
  // refresh token id -> RefreshTokenIndex.
  const store::ColumnFamily refresh_tokens;
  // user id || api key id -> ApiKeyRecord.
  const store::ColumnFamily api_keys;
  // api key token id -> ApiKeyIndex.
  const store::ColumnFamily api_key_tokens;
  // user id || api key id || request id -> SpendChargeRecord.
  const store::ColumnFamily api_key_charges;
  // user id -> QuotaRecord.
  const store::ColumnFamily quotas;
  // user id || reservation id -> ReservationRecord.
  const store::ColumnFamily quota_reservations;
  // user id || expire time || reservation id -> "" for each held reservation.
  const store::ColumnFamily quota_holds;
  // user id || request id -> AdjustmentRecord.
  const store::ColumnFamily quota_adjustments;
  // claim token id -> ClaimTokenRecord.
  const store::ColumnFamily claim_tokens;
  // key id -> SigningKeyRecord.
  const store::ColumnFamily signing_keys;
  // name -> server secret bytes (the pre-login salt key).
  const store::ColumnFamily secrets;
  // revoke time || kind || id -> RevocationRecord.
  const store::ColumnFamily revocation_outbox;
  // revoke time || kind ":" id -> RevocationRecord, while a token it stops may live: what
  // Redis must hold, published again whenever Redis lost it (RevocationPublisher).
  const store::ColumnFamily revocations;

 private:
  store::Store* store_;
};

}  // namespace bitcontent::accounts
