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
#include "libs/store/write_batch.h"
#include "services/metadata/metadata_db.h"

namespace bitcontent::metadata {

struct ChangePage {
  std::vector<v1::Change> changes = {};
  // The last sequence returned, or the one asked from when there was nothing newer.
  uint64_t last_sequence = 0;
  bool has_more = false;
};

// Appends entries to one member's log within one batch. Create it, Append, then Stage
// into the batch that carries the change; hold the member's lock from creation until
// the batch is committed, so no two writers take the same numbers.
class ChangeAppender {
 public:
  // Reads the member's current head; fails only when the store does.
  static absl::StatusOr<ChangeAppender> For(const MetadataDb& db, absl::string_view user_id);

  // Numbers `change` and stages it; returns its sequence.
  uint64_t Append(store::WriteBatch* batch, v1::Change change);

 private:
  ChangeAppender(const MetadataDb& db, std::string user_id, uint64_t head)
      : db_(&db), user_id_(std::move(user_id)), head_(head) {}

  const MetadataDb* db_;
  std::string user_id_;
  uint64_t head_;
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
