// UploadSessions: resumable uploads of sealed chunks (blobs_service.proto). A session is
// named by metadata (in the UPLOAD grant, which also caps its size); the client declares
// the layout, puts chunks in any order and as often as it likes (each verified against
// its BLAKE2b-256 and the layout's size for its index before it is stored), asks what
// is missing after a crash, and commits when all are there, which makes the blob.
//
// The caller (the gRPC surface) has verified the grant; this class trusts the session
// name and size cap it is given. Each session's changes run under its lock and commit
// as one synced batch after the chunk's bytes are durable on the provider.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/blobs/v1/blobs.pb.h"
#include "libs/kit/striped_locks.h"
#include "services/blobs/blobs_db.h"
#include "services/blobs/provider.h"

namespace bitcontent::blobs {

// What a client declares, as in BeginUploadSessionRequest.
struct ChunkLayoutRequest {
  uint32_t chunk_count = 0;
  uint32_t chunk_size_bytes = 0;
  uint32_t last_chunk_size_bytes = 0;
};

struct PutResult {
  bool already_present = false;
  uint32_t received_chunk_count = 0;
  uint64_t received_bytes = 0;
};

class UploadSessions {
 public:
  // Largest chunk, as sealed.
  static constexpr uint32_t kChunkBytesMax = 4 << 20;
  // Most chunks in one session: 256 GiB in 1 MiB chunks, 1 TiB in 4 MiB ones; and the
  // commit's batch (one manifest entry per chunk) stays near 20 MB.
  static constexpr uint32_t kChunksMax = 1 << 18;
  // Most missing ranges one GetUploadSession lists (missing_ranges_truncated past it).
  static constexpr size_t kMissingRangesMax = 1000;
  // Sessions expire this long after they begin.
  static constexpr absl::Duration kLifetime = absl::Hours(24 * 7);

  // Both must outlive this.
  UploadSessions(const BlobsDb& db, Provider* provider) : db_(db), provider_(provider) {}

  // Begins `session_id` (from the grant) with `layout`, whose total must fit
  // `max_size_bytes`. The same layout again returns the session; another one is
  // FAILED_PRECONDITION.
  absl::StatusOr<v1::UploadSession> Begin(absl::string_view session_id, uint64_t max_size_bytes,
                                          const ChunkLayoutRequest& layout, absl::Time now);

  // Stores chunk `index` of an open session. INVALID_ARGUMENT (CHUNK_HASH_MISMATCH) when
  // `data` does not hash to `hash`, or for a size the layout does not give that index.
  absl::StatusOr<PutResult> Put(absl::string_view session_id, uint32_t index,
                                absl::string_view hash, absl::string_view data, absl::Time now);

  // The session with its missing chunks as ranges.
  absl::StatusOr<v1::UploadSession> Get(absl::string_view session_id, absl::Time now) const;

  // Abandons an open session: its chunks no blob uses are collected by the garbage
  // collector. Aborting again, or an expired session, answers it as it is;
  // FAILED_PRECONDITION for a committed one.
  absl::StatusOr<v1::UploadSession> Abort(absl::string_view session_id, absl::Time now);

  // Makes the blob once every chunk is there (FAILED_PRECONDITION, CHUNKS_MISSING,
  // otherwise), unreferenced since `now` (blob_references.h). Committing again returns
  // the same blob, or NOT_FOUND once it has been collected.
  absl::StatusOr<v1::Blob> Commit(absl::string_view session_id, absl::Time now);

 private:
  absl::StatusOr<v1::UploadSession> Load(absl::string_view session_id, absl::Time now) const;
  absl::StatusOr<v1::UploadSession> RequireOpen(absl::string_view session_id, absl::Time now) const;

  const BlobsDb& db_;
  Provider* const provider_;
  kit::StripedLocks<> locks_;
};

}  // namespace bitcontent::blobs
