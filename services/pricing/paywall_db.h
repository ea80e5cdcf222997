// The paywall's column families in pricing's one RocksDB store (--data_dir): resources,
// their external-id index, idempotency keys, webhook endpoints, deliveries, the webhook
// outbox and the retry schedule. The pricing core lists its own families in
// pricing_db.h; the store is opened with both lists.
//
// User, resource, endpoint and delivery ids are 26 characters (libs/ids), so composite
// keys "a || b" need no separator, and a prefix scan on a user id lists that member's
// entries in creation order (ids sort by creation time).
#pragma once

#include <string>
#include <vector>

#include "libs/store/store.h"

namespace bitcontent::pricing {

// The families below, for opening the store.
std::vector<std::string> PaywallColumnFamilies();

class PaywallDb {
 public:
  // Resolves the families of a store opened with PaywallColumnFamilies() among its
  // families. The store must outlive this.
  explicit PaywallDb(store::Store* store);
  store::Store& store() const { return *store_; }

  // user id || resource id -> v1::PaywallResource.
  const store::ColumnFamily resources;
  // user id || external id -> resource id: unique per owner.
  const store::ColumnFamily external_ids;
  // user id || kind (1 byte) || request id -> storage::RequestRecord.
  const store::ColumnFamily requests;
  // user id || endpoint id -> storage::EndpointRecord.
  const store::ColumnFamily endpoints;
  // user id || endpoint id || delivery id -> storage::DeliveryRecord.
  const store::ColumnFamily deliveries;
  // The webhook outbox (store::Outbox): delivery keys whose next attempt is due now.
  const store::ColumnFamily outbox;
  // next attempt time (8 bytes, us) || delivery key -> "": retries, soonest first.
  const store::ColumnFamily retries;

 private:
  store::Store* const store_;
};

}  // namespace bitcontent::pricing
