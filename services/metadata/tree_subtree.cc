// Tree::ScanSubtree: a recursive listing, parents before their children, in pages.
//
// The walk is depth first over the children index (each folder's children in id
// order). Where a page ends, the walk is a path: at each depth, the folder being read
// and the last child read in it. The page token is that path, the last child ids from
// the listed folder down, '/'-joined, with a trailing '/' when the walk was about to
// enter the last one (a folder). So a page costs what it lists plus one lookup per
// depth, however big the subtree, and the token stays short: at most kDepthMax ids.
// A listing is not a snapshot: what changes meanwhile shows in the change log.
#include "services/metadata/tree.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"

namespace bitcontent::metadata {
namespace {

// One folder being read: its id, the last child read in it ("" before the first) and
// whether what it holds shows as trashed.
struct Frame {
  std::string folder_id;
  std::string after;
  bool trashed = false;
};

absl::Status BadToken() {
  return kit::FieldError("page_token", "is not a token this listing returned");
}

}  // namespace

absl::StatusOr<std::optional<std::string>> Tree::NextChildId(absl::string_view folder_id,
                                                             absl::string_view after) const {
  const std::string start = store::JoinKey(folder_id, after);
  store::PrefixIterator it = db_.store().Scan(
      db_.children,
      {.prefix = store::KeyView(std::string(folder_id)),
       .start_after = after.empty() ? std::nullopt : std::optional<std::string_view>(start)});
  if (!it.Valid()) {
    if (!it.status().ok()) return it.status();
    return std::optional<std::string>();
  }
  return std::optional<std::string>(
      std::string(it.key().data() + folder_id.size(), it.key().size() - folder_id.size()));
}

absl::Status Tree::ScanSubtree(const v1::Node& parent, bool parent_trashed,
                               absl::string_view page_token, size_t page_size, bool show_trashed,
                               ChildPage* page) const {
  std::vector<Frame> frames = {{.folder_id = std::string(kit::IdOfName(parent.name())),
                                .after = "",
                                .trashed = parent_trashed}};
  if (!page_token.empty()) {
    const std::vector<std::string> path = absl::StrSplit(page_token, '/');
    if (path.size() > static_cast<size_t>(kDepthMax) + 1) return BadToken();
    for (size_t i = 0; i < path.size(); ++i) {
      const bool entering = i + 1 == path.size() && path[i].empty() && i > 0;
      if (entering) break;  // The trailing '/': the last folder's frame starts empty.
      if (!ids::IsValidId(path[i])) return BadToken();
      frames.back().after = path[i];
      if (i + 1 == path.size()) break;
      // The walk went into this child: it is a folder; whether it shows trashed
      // follows from it as stored now.
      absl::StatusOr<v1::Node> folder = LoadId(path[i]);
      if (absl::IsNotFound(folder.status())) break;  // Purged since: go on after it.
      if (!folder.ok()) return folder.status();
      const bool trashed = frames.back().trashed || folder->state() != v1::NODE_STATE_ACTIVE;
      frames.push_back({.folder_id = path[i], .after = "", .trashed = trashed});
    }
  }

  size_t scanned = 0;
  while (!frames.empty()) {
    if (page->nodes.size() == page_size || scanned == kScannedPerPageMax) {
      std::vector<absl::string_view> path;
      for (size_t i = 0; i < frames.size(); ++i) {
        if (i > 0 || !frames[i].after.empty()) path.push_back(frames[i].after);
      }
      // A folder entered but not read yet leaves "" last: the trailing '/'.
      page->next_page_token = absl::StrJoin(path, "/");
      return absl::OkStatus();
    }
    Frame& frame = frames.back();
    absl::StatusOr<std::optional<std::string>> child_id = NextChildId(frame.folder_id, frame.after);
    if (!child_id.ok()) return child_id.status();
    if (!child_id->has_value()) {
      frames.pop_back();
      continue;
    }
    ++scanned;
    frame.after = **child_id;
    absl::StatusOr<v1::Node> child = LoadId(frame.after);
    if (!child.ok()) return child.status();
    const bool trashed = frame.trashed || child->state() != v1::NODE_STATE_ACTIVE;
    if (trashed && !show_trashed) continue;  // Nor what it holds.
    if (frame.trashed) child->set_state(v1::NODE_STATE_TRASHED);
    const bool folder = child->type() == v1::NODE_TYPE_FOLDER;
    page->nodes.push_back(*std::move(child));
    if (folder && frames.size() < static_cast<size_t>(kDepthMax)) {
      frames.push_back({.folder_id = frames.back().after, .after = "", .trashed = trashed});
    }
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::metadata
