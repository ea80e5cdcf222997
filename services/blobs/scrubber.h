// Scrubber: walks every chunk the index knows (committed blobs and open upload
// sessions), reads each copy from each provider and checks it against the chunk's name
// (its BLAKE2b-256); with repair, it writes a good copy where one is missing or damaged.
// A chunk with no good copy anywhere is lost: counted and logged with its hash.
#pragma once

#include "absl/time/time.h"
#include "bitcontent/blobs/v1/blobs_admin_service.pb.h"
#include "services/blobs/blobs_db.h"
#include "services/blobs/placement.h"

namespace bitcontent::blobs {

class Scrubber {
 public:
  // Both must outlive this.
  Scrubber(const BlobsDb& db, Placement* placement) : db_(db), placement_(placement) {}

  // One full pass, as `request` asks (one provider or all, repair or report); the run
  // comes back finished. FAILED with the error when the index cannot be read.
  v1::ScrubRun Run(const v1::StartScrubRequest& request, absl::Time now);

 private:
  const BlobsDb& db_;
  Placement* const placement_;
};

}  // namespace bitcontent::blobs
