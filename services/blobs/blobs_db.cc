#include "services/blobs/blobs_db.h"

#include "libs/store/key_encoding.h"

namespace bitcontent::blobs {

absl::StatusOr<std::unique_ptr<store::Store>> BlobsDb::OpenStore(const std::string& path) {
  return store::Store::Open(
      {.path = path, .column_families = {"sessions", "session_chunks", "blobs", "blob_chunks"}});
}

BlobsDb::BlobsDb(store::Store* store)
    : sessions(store->MustFamily("sessions")),
      session_chunks(store->MustFamily("session_chunks")),
      blobs(store->MustFamily("blobs")),
      blob_chunks(store->MustFamily("blob_chunks")),
      store_(store) {}

std::string BlobsDb::ChunkKey(absl::string_view id, uint32_t index) {
  std::string key(id);
  store::AppendUint32(&key, index);
  return key;
}

}  // namespace bitcontent::blobs
