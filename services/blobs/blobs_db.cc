#include "services/blobs/blobs_db.h"

#include "libs/store/key_encoding.h"

namespace bitcontent::blobs {

absl::StatusOr<std::unique_ptr<store::Store>> BlobsDb::OpenStore(const std::string& path) {
  return store::Store::Open(
      {.path = path,
       .column_families = {"sessions", "session_chunks", "blobs", "blob_chunks", "blob_references",
                           "unreferenced", "chunk_deletions", "provider_states"}});
}

BlobsDb::BlobsDb(store::Store* store)
    : sessions(store->MustFamily("sessions")),
      session_chunks(store->MustFamily("session_chunks")),
      blobs(store->MustFamily("blobs")),
      blob_chunks(store->MustFamily("blob_chunks")),
      blob_references(store->MustFamily("blob_references")),
      unreferenced(store->MustFamily("unreferenced")),
      chunk_deletions(store->MustFamily("chunk_deletions")),
      provider_states(store->MustFamily("provider_states")),
      store_(store) {}

std::string BlobsDb::ChunkKey(absl::string_view id, uint32_t index) {
  std::string key(id);
  store::AppendUint32(&key, index);
  return key;
}

std::string BlobsDb::ReferenceKey(absl::string_view blob_id, absl::string_view reference) {
  return store::JoinKey(blob_id, reference);
}

std::string BlobsDb::EncodeSince(absl::Time since) { return store::EncodeTime(since); }

std::optional<absl::Time> BlobsDb::DecodeSince(std::string_view value) {
  if (value.size() != store::kUint64Size) return std::nullopt;
  const std::optional<uint64_t> micros = store::DecodeUint64(value);
  if (!micros.has_value()) return std::nullopt;
  return absl::FromUnixMicros(static_cast<int64_t>(*micros));
}

}  // namespace bitcontent::blobs
