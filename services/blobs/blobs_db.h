// The blob service's RocksDB: upload sessions, the chunks each has received, and the
// committed blobs with their manifests. Chunk bytes live on the providers, named by
// their hash; these families say which chunks make up what.
//
// Keys: session and blob ids are 26 characters (libs/ids), chunk indexes 4 bytes
// big-endian, so a prefix scan on an id walks its chunks in index order.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/store/store.h"

namespace bitcontent::blobs {

class BlobsDb {
 public:
  // Opens (or creates) the store at `path` with every family below.
  static absl::StatusOr<std::unique_ptr<store::Store>> OpenStore(const std::string& path);

  // Resolves the families of a store opened by OpenStore. The store must outlive this.
  explicit BlobsDb(store::Store* store);

  store::Store& store() const { return *store_; }

  // The key of chunk `index` of a session or blob: id || uint32 big-endian index.
  static std::string ChunkKey(absl::string_view id, uint32_t index);

  // session id -> v1::UploadSession (without missing ranges, computed when asked).
  const store::ColumnFamily sessions;
  // session id || index -> the chunk's 32-byte hash.
  const store::ColumnFamily session_chunks;
  // blob id -> v1::Blob.
  const store::ColumnFamily blobs;
  // blob id || index -> the chunk's 32-byte hash.
  const store::ColumnFamily blob_chunks;

 private:
  store::Store* store_;
};

}  // namespace bitcontent::blobs
