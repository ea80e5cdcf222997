// BlobReferences: which file versions refer to which blob (BlobsInternalService's
// AddBlobReference and RemoveBlobReference, called by metadata through its durable
// outbox). A blob's reference_count is the number of distinct version names recorded
// for it; when it falls to 0 the blob is recorded in `unreferenced` with the time, and
// the garbage collector (garbage_collector.h) deletes it once the grace has passed with
// no reference added back.
//
// Both calls are idempotent per reference, because metadata sends again after a crash:
// adding a reference already there, or removing one that is not, changes nothing and
// returns the blob. Each call runs under its blob's lock (shared with the collector,
// so a blob is never collected between a check and an addition) and commits as one
// synced batch.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/blobs/v1/blobs.pb.h"
#include "libs/kit/striped_locks.h"
#include "services/blobs/blobs_db.h"

namespace bitcontent::blobs {

class BlobReferences {
 public:
  // The most references one blob counts (Blob.reference_count is 32 bits).
  static constexpr uint32_t kReferencesMax = std::numeric_limits<uint32_t>::max();

  // `db` must outlive this.
  explicit BlobReferences(const BlobsDb& db) : db_(db) {}

  // Records that version `reference` ("nodes/{node}/versions/{version}") refers to
  // `blob` ("blobs/{blob}") and returns the blob as counted. INVALID_ARGUMENT for a
  // malformed name; NOT_FOUND when the blob was never committed or has been collected.
  absl::StatusOr<v1::Blob> Add(absl::string_view blob, absl::string_view reference);

  // Drops that reference and returns the blob as counted; the last one leaves the blob
  // unreferenced since `now`. A reference the blob does not have changes nothing.
  // INVALID_ARGUMENT for a malformed name; NOT_FOUND when the blob was never committed
  // or has been collected (for the caller, nothing is left to do).
  absl::StatusOr<v1::Blob> Remove(absl::string_view blob, absl::string_view reference,
                                  absl::Time now);

  // The lock that serializes every change to the references of blob `blob_id`. The
  // garbage collector holds it while it checks that a blob is still unreferenced and
  // deletes it. Never hold two at once (see kit::StripedLocks).
  absl::Mutex& LockOf(absl::string_view blob_id) { return locks_.For(blob_id); }

 private:
  // The blob with id `blob_id`; NOT_FOUND saying why there may be none.
  absl::StatusOr<v1::Blob> Load(absl::string_view blob_id) const;
  // Whether the reference under `key` is recorded.
  absl::StatusOr<bool> Has(absl::string_view key) const;

  const BlobsDb& db_;
  kit::StripedLocks<> locks_;
};

}  // namespace bitcontent::blobs
