// BlobReader: committed blobs as readers see them: the layout, the manifest of chunk
// hashes in index order, and each chunk's bytes, re-verified against its hash when they
// come back from the provider, so a chunk damaged at rest is refused (DATA_LOSS) rather
// than handed on. The client checks again after decrypting.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/blobs/v1/blobs.pb.h"
#include "services/blobs/blobs_db.h"
#include "services/blobs/provider.h"

namespace bitcontent::blobs {

// One chunk of a blob: its index, its BLAKE2b-256 and its sealed bytes.
struct Chunk {
  uint32_t index = 0;
  std::string hash = {};
  std::string data = {};
};

class BlobReader {
 public:
  // Most manifest entries one Hashes call returns.
  static constexpr uint32_t kHashesMax = 10000;

  // Both must outlive this.
  BlobReader(const BlobsDb& db, Provider* provider) : db_(db), provider_(provider) {}

  // NOT_FOUND naming the blob when there is none with that id.
  absl::StatusOr<v1::Blob> Get(absl::string_view blob_id) const;

  // The hashes of chunks [first, first + count) that exist, at most kHashesMax.
  absl::StatusOr<std::vector<v1::ChunkInfo>> Hashes(const v1::Blob& blob, uint32_t first,
                                                    uint32_t count) const;

  // Chunk `index` of `blob`: OUT_OF_RANGE past its last chunk, DATA_LOSS when the
  // provider lost it or gives back other bytes.
  absl::StatusOr<Chunk> Read(const v1::Blob& blob, uint32_t index) const;

 private:
  const BlobsDb& db_;
  Provider* const provider_;
};

// The size chunk `index` has in `blob`'s layout.
uint32_t ChunkSizeOf(const v1::Blob& blob, uint32_t index);

}  // namespace bitcontent::blobs
