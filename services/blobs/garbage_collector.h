// GarbageCollector: deletes the chunks of abandoned uploads (sessions aborted, or open
// past their expiry) from every provider, and forgets which chunks those sessions had.
// A chunk is deleted only when no blob and no open session refers to it: the same
// ciphertext stored twice is one chunk. Two uploads only make the same ciphertext with
// the same file key and nonce prefix, which a new upload never reuses, so a chunk being
// sent right now cannot be one an abandoned session left behind.
//
// Blobs themselves are kept: collecting those no file version refers to any more needs
// metadata to report its references (AddBlobReference), which is not built yet.
#pragma once

#include "absl/time/time.h"
#include "bitcontent/blobs/v1/blobs.pb.h"
#include "bitcontent/blobs/v1/blobs_admin_service.pb.h"
#include "services/blobs/blobs_db.h"
#include "services/blobs/placement.h"

namespace bitcontent::blobs {

class GarbageCollector {
 public:
  // Both must outlive this.
  GarbageCollector(const BlobsDb& db, Placement* placement) : db_(db), placement_(placement) {}

  // One pass; with `dry_run` it counts what it would delete and deletes nothing.
  v1::GarbageCollectionRun Run(bool dry_run, absl::Time now);

 private:
  const BlobsDb& db_;
  Placement* const placement_;
};

}  // namespace bitcontent::blobs
