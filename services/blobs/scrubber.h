// Scrubber: walks every chunk the index knows (committed blobs and open upload
// sessions), reads each copy from each provider and checks it against the chunk's name
// (its BLAKE2b-256); with repair, it writes a good copy where one is missing or damaged.
// A chunk with no good copy anywhere is lost: counted and logged with its hash.
//
// Provider modes (placement.h) decide which copies are expected: every READ_WRITE
// provider holds every chunk, so only their copies count as missing or corrupt and only
// they are repaired; READ_ONLY and DRAINING providers are read as sources of good copies
// and never written. That is how a provider drains: once a pass with repair has put a
// copy of each chunk on every READ_WRITE provider, the index needs nothing on the
// draining one. Each full pass stores, per provider, the chunks it holds that the
// index still needs (a draining provider's count falls to zero as its chunks reach the
// others) and their bytes: ListProviders' chunk_count and stored_bytes.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bitcontent/blobs/v1/blobs_admin_service.pb.h"
#include "services/blobs/blobs_db.h"
#include "services/blobs/placement.h"
#include "services/blobs/provider_states.h"

namespace bitcontent::blobs {

class Scrubber {
 public:
  // All must outlive this.
  Scrubber(const BlobsDb& db, Placement* placement, ProviderStates* states)
      : db_(db), placement_(placement), states_(states) {}

  // One full pass, as `request` asks (one provider or all, repair or report), following
  // the providers' modes as they are when it starts; the run comes back finished.
  // FAILED with the error when the index cannot be read.
  v1::ScrubRun Run(const v1::StartScrubRequest& request, absl::Time now);

 private:
  // Checks the copies of the chunk named `key` and, with repair, restores those missing
  // or damaged on READ_WRITE providers; counts into `run` and `tallies`.
  void ScrubChunk(const std::string& key, const v1::StartScrubRequest& request,
                  const std::vector<v1::ProviderMode>& modes, v1::ScrubRun* run,
                  std::vector<ProviderTally>* tallies);

  const BlobsDb& db_;
  Placement* const placement_;
  ProviderStates* const states_;
};

}  // namespace bitcontent::blobs
