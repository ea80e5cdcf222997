// Tree: purging nodes from the trash for good, and listing the trash.
#include <algorithm>
#include <deque>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/metadata/resource_names.h"
#include "services/metadata/tree.h"

namespace bitcontent::metadata {
namespace {

absl::Status RequireOwnList(const Actor& actor, absl::string_view owner) {
  if (owner == "users/me" || owner == UserName(actor.user_id)) return absl::OkStatus();
  return absl::PermissionDeniedError("only your own trash: ask for owner \"users/me\"");
}

}  // namespace

absl::StatusOr<v1::PurgeNodeResponse> Tree::Purge(const Actor& actor,
                                                  const v1::PurgeNodeRequest& request,
                                                  absl::Time now) {
  absl::MutexLock lock(&locks_.For(actor.user_id));
  absl::StatusOr<v1::Node> top = LoadChangeable(actor, request.name(), "purged", 0);
  if (!top.ok()) return top.status();
  if (top->state() != v1::NODE_STATE_TRASHED) {
    return absl::FailedPreconditionError(absl::StrCat(
        request.name(), " is not in the trash itself; put it there (TrashNode) first"));
  }

  // The whole subtree, parents before children, bounded.
  std::vector<v1::Node> doomed = {*top};
  std::deque<std::string> folders = {std::string(kit::IdOfName(top->name()))};
  while (!folders.empty()) {
    const std::string folder = std::move(folders.front());
    folders.pop_front();
    store::PrefixIterator it = db_.store().Scan(db_.children, {.prefix = store::KeyView(folder)});
    for (; it.Valid(); it.Next()) {
      if (doomed.size() == kPurgeNodesMax) {
        return absl::FailedPreconditionError(
            absl::StrCat(request.name(), " holds more than ", kPurgeNodesMax,
                         " files and folders; purge some of the folders in it first"));
      }
      const absl::string_view child_id =
          absl::string_view(it.key().data(), it.key().size()).substr(folder.size());
      absl::StatusOr<v1::Node> child = LoadId(child_id);
      if (!child.ok()) return child.status();
      if (child->type() == v1::NODE_TYPE_FOLDER) folders.emplace_back(child_id);
      doomed.push_back(*std::move(child));
    }
    if (!it.status().ok()) return it.status();
  }

  v1::PurgeNodeResponse response;
  store::WriteBatch batch;
  for (const v1::Node& node : doomed) {
    const std::string id(kit::IdOfName(node.name()));
    const std::string parent_id(kit::IdOfName(node.parent()));
    batch.Delete(db_.nodes, store::KeyView(id));
    batch.Delete(db_.children, store::KeyView(store::JoinKey(parent_id, id)));
    if (node.state() == v1::NODE_STATE_ACTIVE) {
      batch.Delete(db_.names, store::KeyView(store::JoinKey(parent_id, node.name_hmac())));
    } else {
      batch.Delete(db_.trash, store::KeyView(store::JoinKey(actor.user_id, id)));
    }
    response.set_freed_bytes(response.freed_bytes() + node.stored_bytes());
    // What hangs off the node goes with it: a file's versions, a folder's shares.
    absl::StatusOr<std::vector<v1::Version>> versions = VersionsOf(id);
    if (!versions.ok()) return versions.status();
    for (const v1::Version& version : *versions) DropVersion(&batch, id, version);
    store::PrefixIterator shares = db_.store().Scan(db_.shares, {.prefix = store::KeyView(id)});
    for (; shares.Valid(); shares.Next()) {
      const std::string recipient(shares.key().substr(id.size()));
      batch.Delete(db_.shares, shares.key());
      batch.Delete(db_.user_shares, store::KeyView(store::JoinKey(recipient, id)));
    }
    if (!shares.status().ok()) return shares.status();
  }
  response.set_purged_node_count(doomed.size());

  // The log says only what a sync client needs: this node and all below it are gone.
  v1::Node gone;
  gone.set_name(top->name());
  gone.set_parent(top->parent());
  gone.set_owner(top->owner());
  gone.set_type(top->type());
  gone.set_state(v1::NODE_STATE_PURGED);
  if (absl::Status s = Commit(&batch, actor, v1::CHANGE_TYPE_NODE_PURGED, gone, now); !s.ok()) {
    return s;
  }
  return response;
}

absl::StatusOr<v1::ListTrashResponse> Tree::ListTrash(const Actor& actor,
                                                      const v1::ListTrashRequest& request) const {
  if (absl::Status s = RequireOwnList(actor, request.owner()); !s.ok()) return s;
  absl::StatusOr<size_t> page_size =
      kit::PageSizeOf(request.page_size(), {.default_size = kPageSizeDefault, .max = kPageSizeMax});
  if (!page_size.ok()) return page_size.status();
  if (absl::Status s = kit::ValidatePageToken(request.page_token()); !s.ok()) return s;
  const std::string after = store::JoinKey(actor.user_id, request.page_token());
  store::PrefixIterator it =
      db_.store().Scan(db_.trash, {.prefix = store::KeyView(actor.user_id),
                                   .start_after = request.page_token().empty()
                                                      ? std::nullopt
                                                      : std::optional<std::string_view>(after),
                                   .limit = *page_size + 1});
  v1::ListTrashResponse response;
  std::string last_id;
  for (; it.Valid(); it.Next()) {
    const absl::string_view id =
        absl::string_view(it.key().data(), it.key().size()).substr(actor.user_id.size());
    if (static_cast<size_t>(response.nodes_size()) == *page_size) {
      response.set_next_page_token(last_id);
      break;
    }
    last_id = std::string(id);
    absl::StatusOr<v1::Node> node = LoadId(id);
    if (!node.ok()) return node.status();
    node->set_access_role(v1::ACCESS_ROLE_OWNER);
    *response.add_nodes() = *std::move(node);
  }
  if (!it.status().ok()) return it.status();
  return response;
}

}  // namespace bitcontent::metadata
