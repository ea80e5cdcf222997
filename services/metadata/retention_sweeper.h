// RetentionSweeper: applies every member's version retention as time passes. The count
// limit (max_versions) is applied when a version is added and when a policy changes;
// the age limit (max_age_days) also needs time to pass, so a background thread walks
// every member's tree once per interval (--retention_sweep_interval) and drops the
// versions that have grown too old, giving their bytes back to the owner's quota.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/kit/periodic_task.h"
#include "services/metadata/tree.h"
#include "services/metadata/uploads.h"

namespace bitcontent::metadata {

// Drops the versions the member's retention no longer keeps (Tree::ExpireVersions) and
// gives each one's bytes back to their quota, once per version.
absl::Status ExpireVersionsOf(Tree& tree, Uploads& uploads, absl::string_view user_id,
                              absl::Time now);

class RetentionSweeper {
 public:
  // Members read per page of the sweep.
  static constexpr size_t kMembersPerPage = 256;

  // Both must outlive this; `interval` 0 means never (Start does nothing).
  // Destroying it stops the thread, after the sweep in progress (if any) ends.
  RetentionSweeper(Tree* tree, Uploads* uploads, absl::Duration interval);

  void Start() { task_.Start(); }

  // One sweep of every member; the first failure stops it (the next sweep goes on).
  absl::Status SweepOnce(absl::Time now);

 private:
  Tree* const tree_;
  Uploads* const uploads_;
  kit::PeriodicTask task_;  // Declared last: stops first.
};

}  // namespace bitcontent::metadata
