// ChangeLog: each member's log of changes to the trees they see, numbered 1, 2, 3...
// A sync client lists its tree once, then follows the log from the sequence the
// listing returned; since entries are written in the same batch as the change itself,
// a change is in the log exactly when it happened.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/metadata/v1/changes.pb.h"
#include "libs/kit/striped_locks.h"
#include "libs/store/write_batch.h"
#include "services/metadata/metadata_db.h"

namespace bitcontent::metadata {

struct ChangePage {
  std::vector<v1::Change> changes = {};
  // The last sequence returned, or the one asked from when there was nothing newer.
  uint64_t last_sequence = 0;
  bool has_more = false;
};

// One entry for one member's log.
struct ChangeFor {
  std::string user_id;
  v1::Change change;
};

// Writes changes: appends each entry to its member's log in the batch that carries the
// change, and commits that batch (synced). It holds the log locks of those members from
// reading their heads until the commit, so no two writers take the same numbers; the
// locks are innermost (nothing else is locked while they are held), which lets one
// commit append to several members' logs (an owner's and the members a folder is
// shared with) without deadlock.
class ChangeLogWriter {
 public:
  explicit ChangeLogWriter(const MetadataDb& db) : db_(db) {}

  absl::Status Commit(store::WriteBatch* batch, std::vector<ChangeFor> changes);

 private:
  const MetadataDb& db_;
  kit::StripedLocks<> locks_;
};

class ChangeLog {
 public:
  static constexpr int32_t kPageSizeMax = 1000;
  static constexpr int32_t kPageSizeDefault = 500;

  explicit ChangeLog(const MetadataDb& db) : db_(db) {}

  // Entries of `user_id`'s log after `since_sequence`, at most `page_size` (0 means
  // kPageSizeDefault; more is cut to kPageSizeMax; negative is INVALID_ARGUMENT).
  absl::StatusOr<ChangePage> List(absl::string_view user_id, uint64_t since_sequence,
                                  int32_t page_size) const;

  // The sequence of the newest entry (0 when the log is empty).
  absl::StatusOr<uint64_t> Head(absl::string_view user_id) const;

 private:
  const MetadataDb& db_;
};

}  // namespace bitcontent::metadata
