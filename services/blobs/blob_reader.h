// BlobReader: committed blobs as readers see them: the layout, the manifest of chunk
// hashes in index order, and each chunk's bytes from the placement, which re-verifies
// every copy against its hash and falls back to another provider, so a chunk damaged
// at rest is never handed on (DATA_LOSS when no good copy is left). The client checks
// again when it decrypts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/blobs/v1/blobs.pb.h"
#include "services/blobs/blobs_db.h"
#include "services/blobs/placement.h"

namespace bitcontent::blobs {

// One chunk of a blob: its index, its BLAKE2b-256 and its sealed bytes.
struct Chunk {
  uint32_t index = 0;
  std::string hash = {};
  ObjectBytes data = {};
  // Instead of `data`, where it was asked for and the copy is a local file.
  std::optional<ObjectFile> file = {};
};

class BlobReader {
 public:
  // Most manifest entries one Hashes call returns.
  static constexpr uint32_t kHashesMax = 10000;

  // Both must outlive this.
  BlobReader(const BlobsDb& db, Placement* placement) : db_(db), placement_(placement) {}

  // NOT_FOUND naming the blob when there is none with that id.
  absl::StatusOr<v1::Blob> Get(absl::string_view blob_id) const;

  // The hashes of chunks [first, first + count) that exist, at most kHashesMax.
  absl::StatusOr<std::vector<v1::ChunkInfo>> Hashes(const v1::Blob& blob, uint32_t first,
                                                    uint32_t count) const;

  // Chunk `index` of `blob`: OUT_OF_RANGE past its last chunk, DATA_LOSS when no
  // provider has a good copy. With `verify` false, the first copy that reads, unchecked
  // (see ReadChunkRequest.verify).
  // With `file_ok` (and not `verify`), a copy that is a file on this machine is
  // answered as that file (ReadChunkResponse.file).
  absl::StatusOr<Chunk> Read(const v1::Blob& blob, uint32_t index, bool verify = true,
                             bool file_ok = false) const;

 private:
  const BlobsDb& db_;
  Placement* const placement_;
};

// The size chunk `index` has in `blob`'s layout.
uint32_t ChunkSizeOf(const v1::Blob& blob, uint32_t index);

}  // namespace bitcontent::blobs
