// ProviderStates: what the blob service keeps about each provider across restarts, in
// the `provider_states` family (blobs_db.h): the mode an operator set with
// SetProviderMode, which the placement follows, and the chunks and bytes the last
// scrub counted on it (scrubber.h), which ListProviders reports. Modes are stored,
// synced, before the placement uses them, and given back to the placement at start.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "bitcontent/blobs/v1/blobs_admin_service.pb.h"
#include "services/blobs/blobs_db.h"
#include "services/blobs/placement.h"

namespace bitcontent::blobs {

// The chunks a scrub found a provider to hold and still needed, with their bytes.
// `counted` is false when the provider could not be read throughout, and the counts of
// an earlier scrub stand.
struct ProviderTally {
  bool counted = true;
  uint64_t chunk_count = 0;
  uint64_t stored_bytes = 0;
};

class ProviderStates {
 public:
  // Both must outlive this.
  ProviderStates(const BlobsDb& db, Placement* placement) : db_(db), placement_(placement) {}

  // Gives the placement every stored mode; call once, before serving.
  absl::Status Load();

  // Sets the mode of the provider `request` names ("providers/{provider}") and returns
  // it as Describe does. INVALID_ARGUMENT for a malformed name or a mode that is not
  // READ_WRITE, READ_ONLY or DRAINING; NOT_FOUND for a provider not configured.
  absl::StatusOr<v1::Provider> SetMode(const v1::SetProviderModeRequest& request)
      ABSL_LOCKS_EXCLUDED(mutex_);

  // Stores a scrub's counts, one tally per provider in the placement's order.
  absl::Status RecordTallies(const std::vector<ProviderTally>& tallies) ABSL_LOCKS_EXCLUDED(mutex_);

  // Provider `index` of the placement without a health probe: its name, kind,
  // location, mode and the last scrub's counts.
  absl::StatusOr<v1::Provider> Describe(size_t index) const;

 private:
  // The stored state of provider `index`; empty (READ_WRITE, nothing counted) when none.
  absl::StatusOr<v1::Provider> Stored(size_t index) const;
  absl::Status Save(size_t index, const v1::Provider& state);

  const BlobsDb& db_;
  Placement* const placement_;
  // Serialises the read-modify-write of a provider's entry by SetMode and a scrub.
  absl::Mutex mutex_;
};

}  // namespace bitcontent::blobs
