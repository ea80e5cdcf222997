// The metadata service's RocksDB: its column families and how their keys are made.
// Every change to the tree is one store::WriteBatch committed with sync=true, together
// with the change-log entries it causes, so a crash never leaves half a move or a
// change nobody hears about.
//
// Keys are fixed-width where they are composite: user and node ids are 26 characters
// (libs/ids) and name HMACs 32 bytes, so "a || b" needs no separator, and a prefix
// scan on a folder id lists its children in creation order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/store/store.h"

namespace bitcontent::metadata {

class MetadataDb {
 public:
  // Opens (or creates) the store at `path` with every family below.
  static absl::StatusOr<std::unique_ptr<store::Store>> OpenStore(const std::string& path);

  // Resolves the families of a store opened by OpenStore. The store must outlive this.
  explicit MetadataDb(store::Store* store);

  store::Store& store() const { return *store_; }

  // node id -> v1::Node (as the owner sees it, access_role unset).
  const store::ColumnFamily nodes;
  // parent id || child id -> "": every child of a folder, trashed ones included.
  const store::ColumnFamily children;
  // parent id || name HMAC -> child id: the active children, for name conflicts.
  const store::ColumnFamily names;
  // owner id -> root node id.
  const store::ColumnFamily roots;
  // owner id || request id -> node id: creations already done, for retries.
  const store::ColumnFamily requests;
  // owner id || node id -> "": nodes put in the trash themselves (not their contents).
  const store::ColumnFamily trash;
  // owner id || sequence -> v1::Change.
  const store::ColumnFamily changes;
  // owner id -> last sequence (8 bytes big-endian).
  const store::ColumnFamily change_heads;
  // upload id -> v1::Upload (without its grant, which is made fresh when asked for).
  const store::ColumnFamily uploads;
  // node id || version id -> v1::Version: every kept version of a file, the head too
  // (which the node also carries, as head_version).
  const store::ColumnFamily versions;
  // link id -> v1::Link (state as stored: ACTIVE or REVOKED; expiry is computed).
  const store::ColumnFamily links;
  // creator id || link id -> "": a member's links, for ListLinks.
  const store::ColumnFamily user_links;
  // folder id || recipient id -> v1::Share: who a folder is shared with.
  const store::ColumnFamily shares;
  // recipient id || folder id -> "": what is shared with a member.
  const store::ColumnFamily user_shares;
  // key id -> keystore SigningKeyRecord: the keys capability grants are signed with.
  const store::ColumnFamily signing_keys;
  // sequence (8 bytes big-endian) -> storage::BlobReferenceChange: the store::Outbox of
  // blob_references.h, waiting to reach the blob service.
  const store::ColumnFamily blob_reference_outbox;
  // user id -> v1::RetentionPolicy: a member's own retention, when they set one.
  const store::ColumnFamily retention_policies;
  // uploader id || upload id -> "": a member's uploads still open when last written
  // (committing or aborting one removes it; an expired one is removed when listed).
  const store::ColumnFamily user_uploads;

 private:
  store::Store* store_;
};

}  // namespace bitcontent::metadata
