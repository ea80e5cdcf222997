#include "services/blobs/blob_reader.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/crypto/encoding.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"

namespace bitcontent::blobs {

uint32_t ChunkSizeOf(const v1::Blob& blob, uint32_t index) {
  return index + 1 == blob.chunk_count() ? blob.last_chunk_size_bytes() : blob.chunk_size_bytes();
}

absl::StatusOr<v1::Blob> BlobReader::Get(absl::string_view blob_id) const {
  absl::StatusOr<std::optional<v1::Blob>> found =
      store::FindRecord<v1::Blob>(db_.store(), db_.blobs, blob_id);
  if (!found.ok()) return found.status();
  if (!found->has_value())
    return absl::NotFoundError(absl::StrCat("blobs/", blob_id, " not found"));
  return **std::move(found);
}

absl::StatusOr<std::vector<v1::ChunkInfo>> BlobReader::Hashes(const v1::Blob& blob, uint32_t first,
                                                              uint32_t count) const {
  const std::string blob_id(kit::IdOfName(blob.name()));
  std::vector<v1::ChunkInfo> hashes;
  const uint32_t end = static_cast<uint32_t>(std::min<uint64_t>(
      {uint64_t{first} + count, uint64_t{first} + kHashesMax, blob.chunk_count()}));
  for (uint32_t index = first; index < end; ++index) {
    absl::StatusOr<std::string> hash =
        db_.store().Get(db_.blob_chunks, store::KeyView(BlobsDb::ChunkKey(blob_id, index)));
    if (!hash.ok()) {
      return absl::IsNotFound(hash.status())
                 ? absl::DataLossError(
                       absl::StrCat(blob.name(), " has lost the record of chunk ", index))
                 : hash.status();
    }
    v1::ChunkInfo& info = hashes.emplace_back();
    info.set_index(index);
    info.set_hash(*std::move(hash));
    info.set_size_bytes(ChunkSizeOf(blob, index));
  }
  return hashes;
}

absl::StatusOr<Chunk> BlobReader::Read(const v1::Blob& blob, uint32_t index, bool verify,
                                       bool file_ok) const {
  if (index >= blob.chunk_count()) {
    return absl::OutOfRangeError(absl::StrCat("chunk ", index, " is past the end of ", blob.name(),
                                              ", which has ", blob.chunk_count(), " chunks"));
  }
  absl::StatusOr<std::vector<v1::ChunkInfo>> info = Hashes(blob, index, 1);
  if (!info.ok()) return info.status();
  Chunk chunk;
  chunk.index = index;
  chunk.hash = std::move(*info->front().mutable_hash());
  // Verified, the placement checks each copy against its name (the hash) and falls back.
  const std::string key = crypto::HexEncode(chunk.hash);
  if (file_ok && !verify) {
    // No copy as a file (the providers are remote, or it is lost): the bytes, as below.
    absl::StatusOr<ObjectFile> file = placement_->File(key);
    if (file.ok()) {
      chunk.file = *std::move(file);
      return chunk;
    }
  }
  absl::StatusOr<ObjectBytes> data = verify ? placement_->Get(key) : placement_->GetUnchecked(key);
  if (!data.ok()) {
    return absl::DataLossError(
        absl::StrCat("chunk ", index, " of ", blob.name(), ": ", data.status().message()));
  }
  chunk.data = *std::move(data);
  return chunk;
}

}  // namespace bitcontent::blobs
