#include "services/metadata/retention_sweeper.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/kit/log.h"

namespace bitcontent::metadata {

absl::Status ExpireVersionsOf(Tree& tree, Uploads& uploads, absl::string_view user_id,
                              absl::Time now) {
  absl::StatusOr<VersionsExpired> expired = tree.ExpireVersions(user_id, now);
  if (!expired.ok()) return expired.status();
  // Version ids are never reused, so each expiry gives its bytes back once.
  for (const auto& [version, bytes] : expired->freed) {
    uploads.GiveBack(expired->owner, bytes, absl::StrCat("expire:", version));
  }
  return absl::OkStatus();
}

RetentionSweeper::RetentionSweeper(Tree* tree, Uploads* uploads, absl::Duration interval)
    : tree_(tree), uploads_(uploads), task_(interval, [this] {
        if (absl::Status s = SweepOnce(absl::Now()); !s.ok()) {
          kit::Log(spdlog::level::warn, "the retention sweep stopped early",
                   {{"error", s.message()}});
        }
      }) {}

absl::Status RetentionSweeper::SweepOnce(absl::Time now) {
  std::string after;
  while (true) {
    absl::StatusOr<std::vector<std::string>> members = tree_->Members(after, kMembersPerPage);
    if (!members.ok()) return members.status();
    for (const std::string& member : *members) {
      if (absl::Status s = ExpireVersionsOf(*tree_, *uploads_, member, now); !s.ok()) return s;
    }
    if (members->size() < kMembersPerPage) return absl::OkStatus();
    after = members->back();
  }
}

}  // namespace bitcontent::metadata
