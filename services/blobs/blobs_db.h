// The blob service's RocksDB: upload sessions, the chunks each has received, the
// committed blobs with their manifests, which file versions refer to each blob, what
// garbage collection has left to do, and the operators' provider modes. Chunk bytes
// live on the providers, named by their hash; these families say which chunks make up
// what.
//
// Keys: session and blob ids are 26 characters (libs/ids), chunk indexes 4 bytes
// big-endian, so a prefix scan on an id walks its chunks (or its references) in order.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/store/store.h"

namespace bitcontent::blobs {

class BlobsDb {
 public:
  // Opens (or creates) the store at `path` with every family below; a store made
  // before a family existed gets it, empty.
  static absl::StatusOr<std::unique_ptr<store::Store>> OpenStore(const std::string& path);

  // Resolves the families of a store opened by OpenStore. The store must outlive this.
  explicit BlobsDb(store::Store* store);

  store::Store& store() const { return *store_; }

  // The key of chunk `index` of a session or blob: id || uint32 big-endian index.
  static std::string ChunkKey(absl::string_view id, uint32_t index);
  // The key of `reference` (a version name) to blob `blob_id`: blob id || reference.
  static std::string ReferenceKey(absl::string_view blob_id, absl::string_view reference);
  // The value of an `unreferenced` entry, and back (nullopt when it is not 8 bytes).
  static std::string EncodeSince(absl::Time since);
  static std::optional<absl::Time> DecodeSince(std::string_view value);

  // session id -> v1::UploadSession (without missing ranges, computed when asked).
  const store::ColumnFamily sessions;
  // session id || index -> the chunk's 32-byte hash.
  const store::ColumnFamily session_chunks;
  // blob id -> v1::Blob.
  const store::ColumnFamily blobs;
  // blob id || index -> the chunk's 32-byte hash.
  const store::ColumnFamily blob_chunks;
  // blob id || "nodes/{node}/versions/{version}" -> empty: the file versions that refer
  // to the blob; their number is the blob's reference_count.
  const store::ColumnFamily blob_references;
  // blob id -> EncodeSince(time): a blob with no reference, since that time (its
  // commit, or the removal of its last reference). Garbage collection deletes it once
  // that is longer ago than the grace. Blobs committed before this family existed have
  // no entry and are never collected.
  const store::ColumnFamily unreferenced;
  // 32-byte chunk hash -> uint64 big-endian size: chunks of collected blobs still to be
  // deleted from the providers. An entry outlives a crash or a provider outage, so the
  // next garbage collection run deletes what the last one could not.
  const store::ColumnFamily chunk_deletions;
  // provider name ("local-a") -> v1::Provider holding only what outlives a restart: the
  // mode an operator set (provider_modes.h) and the chunk_count and stored_bytes the
  // last scrub counted. A configured provider without an entry is READ_WRITE; an entry
  // for a provider no longer configured is ignored.
  const store::ColumnFamily provider_states;

 private:
  store::Store* store_;
};

}  // namespace bitcontent::blobs
