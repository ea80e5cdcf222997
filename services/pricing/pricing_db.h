// The pricing core's column families in pricing's one RocksDB store (--data_dir), next to
// the paywall's (paywall_db.h): prices with their escrowed keys, pricing's own keys and
// secrets, quote idempotency, purchases (pending, settled, failed) and their index by
// buyer, entitlements, earnings rows and the operator's settings.
//
// User ids are 26 characters (libs/ids) and purchase ids 32 hex characters, so composite
// keys "a || b" need no separator.
#pragma once

#include <string>
#include <vector>

#include "libs/store/store.h"

namespace bitcontent::pricing {

// Every family of pricing's store, the paywall's and the core's: open the store with it.
std::vector<std::string> PricingColumnFamilies();

class PricingDb {
 public:
  // Resolves the core's families of a store opened with PricingColumnFamilies(). The
  // store must outlive this.
  explicit PricingDb(store::Store* store);
  store::Store& store() const { return *store_; }

  // node id -> storage::PriceRecord.
  const store::ColumnFamily prices;
  // keystore records: the Ed25519 keys that sign quotes, and those that sign receipts.
  const store::ColumnFamily quote_keys;
  const store::ColumnFamily receipt_keys;
  // key id -> storage::EscrowKeyRecord.
  const store::ColumnFamily escrow_keys;
  // name -> secret bytes ("buyer-ref": the HMAC key of receipts' buyer_ref).
  const store::ColumnFamily secrets;
  // buyer id || request id -> storage::QuoteRequestRecord.
  const store::ColumnFamily quote_requests;
  // buyer id || request id -> the subject the first purchase with that key was for: a key
  // buys one thing, whether with a quote or by subject.
  const store::ColumnFamily purchase_keys;
  // purchase id -> storage::PendingPurchase (ledger outcome not yet recorded).
  const store::ColumnFamily pending_purchases;
  // purchase id -> storage::PurchaseRecord.
  const store::ColumnFamily purchases;
  // purchase id -> storage::PurchaseFailure.
  const store::ColumnFamily purchase_failures;
  // buyer id || time (8 bytes, us) || purchase id -> "": the buyer's purchases by time.
  const store::ColumnFamily buyer_purchases;
  // user id || subject -> v1::Entitlement.
  const store::ColumnFamily entitlements;
  // user id || entitlement id -> subject: the member's entitlements by time.
  const store::ColumnFamily entitlement_ids;
  // user id || time (8 bytes, us) || purchase id -> storage::EarningsRecord.
  const store::ColumnFamily earnings;
  // "settings" -> v1::PricingSettings.
  const store::ColumnFamily settings;

 private:
  store::Store* const store_;
};

}  // namespace bitcontent::pricing
