#include "services/metadata/tree.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/metadata/field_checks.h"
#include "services/metadata/link_view.h"
#include "services/metadata/request_replays.h"
#include "services/metadata/resource_names.h"

namespace bitcontent::metadata {
namespace {

using common::v1::ERROR_REASON_NAME_CONFLICT;

constexpr absl::string_view kUsersPrefix = "users/";

// The id in "nodes/{id}"; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> NodeIdOf(absl::string_view name, absl::string_view field) {
  return kit::IdIn(name, "nodes", field);
}

absl::Status RequireNotRoot(const v1::Node& node, absl::string_view action) {
  if (!node.parent().empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("a root folder cannot be ", action));
}

// Why a member a node is shared with may not make the change `action` ("moved") to it.
std::string OwnersOnly(absl::string_view name, absl::string_view action) {
  return absl::StrCat(name, " cannot be ", action, " by you: only its owner may");
}

// FAILED_PRECONDITION unless `node` and the folder `destination` it would go into are in
// one member's tree: a node never changes owner, and each owner's quota counts what is
// in their tree. `action` says what was refused ("moved").
absl::Status RequireSameTree(const v1::Node& node, const v1::Node& destination,
                             absl::string_view action) {
  if (node.owner() == destination.owner()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      node.name(), " cannot be ", action,
      " there: a move cannot cross between your files and a folder shared with you; copy "
      "it with `bitcontent get` and `bitcontent put` (download it and upload it again)"));
}

// Marks a change on `node`: one more revision, updated now.
void Touch(v1::Node& node, absl::Time now) {
  node.set_revision(node.revision() + 1);
  *node.mutable_update_time() = auth::ProtoFromTime(now);
}

}  // namespace

// ABORTED (REVISION_MISMATCH) unless `expected` is 0 (no check) or the node's revision.
absl::Status RequireRevision(const v1::Node& node, uint64_t expected) {
  if (expected == 0 || expected == node.revision()) return absl::OkStatus();
  return kit::WithReason(
      absl::AbortedError(absl::StrCat(node.name(), " changed since revision ", expected,
                                      "; it is at revision ", node.revision(),
                                      " now: read it again and retry")),
      common::v1::ERROR_REASON_REVISION_MISMATCH);
}

absl::StatusOr<v1::Node> Tree::LoadId(absl::string_view node_id) const {
  absl::StatusOr<std::optional<v1::Node>> found =
      store::FindRecord<v1::Node>(db_.store(), db_.nodes, node_id);
  if (!found.ok()) return found.status();
  if (!found->has_value())
    return absl::NotFoundError(absl::StrCat(NodeName(node_id), " not found"));
  return **std::move(found);
}

v1::AccessRole AccessRoleOf(v1::ShareRole role) {
  return role == v1::SHARE_ROLE_WRITER ? v1::ACCESS_ROLE_WRITER : v1::ACCESS_ROLE_READER;
}

absl::StatusOr<v1::AccessRole> Tree::RoleOf(const v1::Node& node, absl::string_view user_id,
                                            Unshared* why) const {
  if (node.owner() == UserName(user_id)) return v1::ACCESS_ROLE_OWNER;
  absl::StatusOr<std::vector<v1::Node>> ancestors = Ancestors(node);
  if (!ancestors.ok()) return ancestors.status();
  ancestors->insert(ancestors->begin(), node);
  // Shares add up: the highest role any of them gives wins (a read share of a folder
  // inside one shared to write takes nothing away). While the owner has a shared folder
  // in the trash (it, or a folder above it), that share gives nothing: what the owner
  // threw away is out of its members' reach, and back, shared as before, when the owner
  // restores it. A share further up that is not in the trash still counts (its members
  // see the folder as trashed, as they see anything the owner trashes inside what they
  // share).
  bool hidden = false;
  v1::AccessRole best = v1::ACCESS_ROLE_UNSPECIFIED;
  for (auto folder = ancestors->begin(); folder != ancestors->end(); ++folder) {
    absl::StatusOr<std::optional<v1::Share>> share = store::FindRecord<v1::Share>(
        db_.store(), db_.shares, store::JoinKey(kit::IdOfName(folder->name()), user_id));
    if (!share.ok()) return share.status();
    if (!share->has_value()) continue;
    const bool trashed = std::any_of(folder, ancestors->end(), [](const v1::Node& above) {
      return above.state() == v1::NODE_STATE_TRASHED;
    });
    hidden = hidden || trashed;
    if (trashed) continue;
    const v1::AccessRole role = AccessRoleOf((*share)->role());
    if (best == v1::ACCESS_ROLE_UNSPECIFIED || role == v1::ACCESS_ROLE_WRITER) best = role;
    if (best == v1::ACCESS_ROLE_WRITER) break;
  }
  if (best == v1::ACCESS_ROLE_UNSPECIFIED) {
    if (why != nullptr) *why = hidden ? Unshared::kInOwnersTrash : Unshared::kNoShare;
    return v1::ACCESS_ROLE_UNSPECIFIED;
  }
  // An operator who disables a member takes their shares down with their links.
  if (owners_ != nullptr) {
    const absl::Status active = owners_->RequireActive(node.owner());
    if (absl::IsNotFound(active)) {
      if (why != nullptr) *why = Unshared::kOwnerDisabled;
      return v1::ACCESS_ROLE_UNSPECIFIED;
    }
    if (!active.ok()) return active;
  }
  return best;
}

absl::StatusOr<v1::Node> Tree::LoadReadable(const Actor& actor, absl::string_view name,
                                            absl::string_view field) const {
  absl::StatusOr<std::string> id = NodeIdOf(name, field);
  if (!id.ok()) return id.status();
  absl::StatusOr<v1::Node> node = LoadId(*id);
  if (!node.ok()) return node.status();
  Unshared why = Unshared::kNoShare;
  absl::StatusOr<v1::AccessRole> role = RoleOf(*node, actor.user_id, &why);
  if (!role.ok()) return role.status();
  if (*role == v1::ACCESS_ROLE_UNSPECIFIED) {
    switch (why) {
      case Unshared::kInOwnersTrash:
        return absl::NotFoundError(
            absl::StrCat(name,
                         " is in its owner's trash (it, or the folder shared with you that holds "
                         "it): it is out of your reach until they restore it"));
      case Unshared::kOwnerDisabled:
        return absl::PermissionDeniedError(
            absl::StrCat(name,
                         " is shared with you by a member whose account is disabled: it is out of "
                         "your reach while it stays so"));
      case Unshared::kNoShare:
        break;
    }
    return absl::NotFoundError(absl::StrCat(name, " not found"));
  }
  node->set_access_role(*role);
  return node;
}

absl::StatusOr<v1::Node> Tree::LoadWritable(const Actor& actor, absl::string_view name,
                                            absl::string_view field) const {
  absl::StatusOr<v1::Node> node = LoadReadable(actor, name, field);
  if (!node.ok() || node->access_role() != v1::ACCESS_ROLE_READER) return node;
  return absl::PermissionDeniedError(
      absl::StrCat(name, " is shared with you to read only; its owner can make you a writer"));
}

absl::StatusOr<v1::Node> Tree::LoadOwned(const Actor& actor, absl::string_view name,
                                         absl::string_view field, absl::string_view refusal) const {
  absl::StatusOr<v1::Node> node = LoadReadable(actor, name, field);
  if (!node.ok()) return node.status();
  if (node->access_role() != v1::ACCESS_ROLE_OWNER) return absl::PermissionDeniedError(refusal);
  node->clear_access_role();  // As stored: a change writes it back.
  return node;
}

absl::Mutex& Tree::LockOf(absl::string_view name) const {
  absl::StatusOr<v1::Node> node = LoadId(kit::IdOfName(name));
  // A node that is not there fails its check under whichever lock.
  return locks_.For(node.ok() ? kit::IdOfName(node->owner()) : name);
}

absl::StatusOr<v1::Node> Tree::LoadChangeable(const Actor& actor, absl::string_view name,
                                              absl::string_view action, uint64_t expected_revision,
                                              Changers changers, v1::AccessRole* role) const {
  absl::StatusOr<v1::Node> node = changers == Changers::kOwnerAndWriters
                                      ? LoadWritable(actor, name, "name")
                                      : LoadReadable(actor, name, "name");
  if (!node.ok()) return node.status();
  if (role != nullptr) *role = node->access_role();
  if (node->access_role() != v1::ACCESS_ROLE_OWNER) {
    if (changers == Changers::kOwner) return absl::PermissionDeniedError(OwnersOnly(name, action));
    // A writer changes what the shared folder holds, not the folder itself: the node's
    // parent must be writable too.
    absl::StatusOr<v1::Node> parent = LoadId(kit::IdOfName(node->parent()));
    if (!parent.ok()) return parent.status();
    absl::StatusOr<v1::AccessRole> parent_role = RoleOf(*parent, actor.user_id);
    if (!parent_role.ok()) return parent_role.status();
    if (*parent_role != v1::ACCESS_ROLE_WRITER) {
      return absl::PermissionDeniedError(
          absl::StrCat(name, " is the folder shared with you, so it cannot be ", action,
                       " by you: only its owner may (what it holds, you may)"));
    }
  }
  node->clear_access_role();  // As stored: a change writes it back.
  if (absl::Status s = RequireNotRoot(*node, action); !s.ok()) return s;
  if (absl::Status s = RequireRevision(*node, expected_revision); !s.ok()) return s;
  return node;
}

absl::StatusOr<std::vector<v1::Node>> Tree::Ancestors(const v1::Node& node) const {
  std::vector<v1::Node> ancestors;
  std::string parent = node.parent();
  while (!parent.empty()) {
    // Deeper than any create allows: a cycle or a damaged record, never a real tree.
    if (ancestors.size() > 2 * kDepthMax) {
      return absl::DataLossError(absl::StrCat(node.name(), " has no root above it"));
    }
    absl::StatusOr<v1::Node> up = LoadId(kit::IdOfName(parent));
    if (!up.ok()) return up.status();
    parent = up->parent();
    ancestors.push_back(*std::move(up));
  }
  return ancestors;
}

absl::StatusOr<bool> Tree::HoldsDeeperThan(const v1::Node& folder, int levels) const {
  const std::string id(kit::IdOfName(folder.name()));
  for (auto it = db_.store().Scan(db_.children, {.prefix = store::KeyView(id)}); it.Valid();
       it.Next()) {
    if (levels <= 0) return true;  // A child, one level further than allowed.
    absl::StatusOr<v1::Node> child =
        LoadId(absl::string_view(it.key().data(), it.key().size()).substr(id.size()));
    if (!child.ok()) return child.status();
    if (child->type() != v1::NODE_TYPE_FOLDER) continue;
    absl::StatusOr<bool> deeper = HoldsDeeperThan(*child, levels - 1);
    if (!deeper.ok() || *deeper) return deeper;
  }
  return false;
}

absl::Status Tree::MarkShared(v1::Node* node) const {
  if (node->access_role() != v1::ACCESS_ROLE_OWNER || node->type() != v1::NODE_TYPE_FOLDER) {
    return absl::OkStatus();
  }
  store::PrefixIterator it = db_.store().Scan(
      db_.shares, {.prefix = store::KeyView(kit::IdOfName(node->name())), .limit = 1});
  node->set_shared(it.Valid());
  return it.status();
}

absl::StatusOr<v1::Node> Tree::Present(v1::Node node) const {
  if (node.access_role() == v1::ACCESS_ROLE_UNSPECIFIED) {
    node.set_access_role(v1::ACCESS_ROLE_OWNER);
  }
  if (absl::Status s = MarkShared(&node); !s.ok()) return s;
  if (node.state() != v1::NODE_STATE_ACTIVE) return node;
  absl::StatusOr<std::vector<v1::Node>> ancestors = Ancestors(node);
  if (!ancestors.ok()) return ancestors.status();
  for (const v1::Node& ancestor : *ancestors) {
    if (ancestor.state() == v1::NODE_STATE_TRASHED) {
      node.set_state(v1::NODE_STATE_TRASHED);
      break;
    }
  }
  return node;
}

absl::Status Tree::RequireFreeName(absl::string_view parent_id, absl::string_view name_hmac) const {
  absl::StatusOr<std::string> taken =
      db_.store().Get(db_.names, store::KeyView(store::JoinKey(parent_id, name_hmac)));
  if (absl::IsNotFound(taken.status())) return absl::OkStatus();
  if (!taken.ok()) return taken.status();
  return kit::WithReason(absl::AlreadyExistsError(
                             absl::StrCat(NodeName(parent_id), " already holds ", NodeName(*taken),
                                          " under that name; choose another name")),
                         ERROR_REASON_NAME_CONFLICT, {{"existing_node", NodeName(*taken)}});
}

absl::StatusOr<v1::Node> Tree::WritableFolder(const Actor& actor, absl::string_view name,
                                              absl::string_view field) const {
  absl::StatusOr<v1::Node> folder = LoadWritable(actor, name, field);
  if (!folder.ok()) return folder.status();
  if (folder->type() != v1::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(absl::StrCat(name, " is a file, not a folder"));
  }
  absl::StatusOr<std::vector<v1::Node>> ancestors = Ancestors(*folder);
  if (!ancestors.ok()) return ancestors.status();
  const bool trashed =
      folder->state() != v1::NODE_STATE_ACTIVE ||
      std::any_of(ancestors->begin(), ancestors->end(), [](const v1::Node& ancestor) {
        return ancestor.state() != v1::NODE_STATE_ACTIVE;
      });
  if (trashed) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, " is in the trash; restore it or choose another folder"));
  }
  if (ancestors->size() + 1 >= static_cast<size_t>(kDepthMax)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "nothing can go into ", name, ": it lies ", ancestors->size(),
        " folders below the root, and nothing may lie more than ", kDepthMax - 1, " below it"));
  }
  return folder;
}

absl::Status Tree::Commit(store::WriteBatch* batch, const Actor& actor, v1::ChangeType type,
                          const v1::Node& node, absl::Time now, absl::string_view previous_parent) {
  v1::Change change;
  change.set_type(type);
  *change.mutable_node() = node;
  change.mutable_node()->set_access_role(v1::ACCESS_ROLE_OWNER);
  change.set_previous_parent(std::string(previous_parent));
  change.set_actor(UserName(actor.user_id));
  change.set_device_id(actor.device_id);
  *change.mutable_change_time() = auth::ProtoFromTime(now);
  absl::StatusOr<Readers> readers = ReadersOf(node, previous_parent);
  if (!readers.ok()) return readers.status();
  std::vector<ChangeFor> changes;
  for (const auto& [user_id, role] : readers->now) {
    v1::Change theirs = change;
    theirs.mutable_node()->set_access_role(AccessRoleOf(role));
    changes.push_back({.user_id = user_id, .change = std::move(theirs)});
  }
  for (const std::string& user_id : readers->left) {
    v1::Change gone;
    gone.set_type(type);
    gone.mutable_node()->set_name(node.name());
    gone.mutable_node()->set_type(node.type());
    gone.set_previous_parent(std::string(previous_parent));
    gone.set_actor(change.actor());
    *gone.mutable_change_time() = change.change_time();
    changes.push_back({.user_id = user_id, .change = std::move(gone)});
  }
  changes.push_back(
      {.user_id = std::string(absl::StripPrefix(node.owner(), kUsersPrefix)), .change = change});
  if (absl::Status s = CommitChanges(batch, std::move(changes)); !s.ok()) return s;
  blob_references_.Notify();  // The batch may have staged some.
  return absl::OkStatus();
}

absl::Status Tree::CommitChanges(store::WriteBatch* batch, std::vector<ChangeFor> changes) const {
  return log_writer_.Commit(batch, std::move(changes));
}

absl::StatusOr<Tree::Readers> Tree::ReadersOf(const v1::Node& node,
                                              absl::string_view previous_parent) const {
  // The highest role of a member's shares wins, as RoleOf decides it.
  const auto add_shares = [&](const std::vector<std::string>& folder_ids,
                              std::map<std::string, v1::ShareRole>& readers) -> absl::Status {
    for (const std::string& folder_id : folder_ids) {
      store::PrefixIterator it =
          db_.store().Scan(db_.shares, {.prefix = store::KeyView(folder_id)});
      for (; it.Valid(); it.Next()) {
        absl::StatusOr<v1::Share> share = store::ParseRecord<v1::Share>(db_.shares, it.value());
        if (!share.ok()) return share.status();
        auto [it_role, added] =
            readers.try_emplace(std::string(kit::IdOfName(share->recipient())), share->role());
        if (!added && share->role() == v1::SHARE_ROLE_WRITER) it_role->second = share->role();
      }
      if (!it.status().ok()) return it.status();
    }
    return absl::OkStatus();
  };
  // The folder itself (a folder is in its own share), then every folder above.
  const auto folders_from = [&](const v1::Node& start,
                                bool with_start) -> absl::StatusOr<std::vector<std::string>> {
    std::vector<std::string> folders;
    if (with_start) folders.emplace_back(kit::IdOfName(start.name()));
    absl::StatusOr<std::vector<v1::Node>> ancestors = Ancestors(start);
    if (!ancestors.ok()) return ancestors.status();
    for (const v1::Node& folder : *ancestors) folders.emplace_back(kit::IdOfName(folder.name()));
    return folders;
  };

  Readers readers;
  absl::StatusOr<std::vector<std::string>> here =
      folders_from(node, node.type() == v1::NODE_TYPE_FOLDER);
  if (!here.ok()) return here.status();
  if (absl::Status s = add_shares(*here, readers.now); !s.ok()) return s;
  if (previous_parent.empty()) return readers;
  absl::StatusOr<v1::Node> left = LoadId(kit::IdOfName(previous_parent));
  if (absl::IsNotFound(left.status())) return readers;
  if (!left.ok()) return left.status();
  absl::StatusOr<std::vector<std::string>> there = folders_from(*left, true);
  if (!there.ok()) return there.status();
  std::map<std::string, v1::ShareRole> before;
  if (absl::Status s = add_shares(*there, before); !s.ok()) return s;
  for (const auto& [user_id, role] : before) {
    if (!readers.now.contains(user_id)) readers.left.insert(user_id);
  }
  return readers;
}

absl::StatusOr<v1::Node> Tree::CreateRoot(const Actor& actor,
                                          const v1::CreateRootNodeRequest& request,
                                          absl::Time now) {
  if (absl::Status s = RequireSealed(
          {.wrapped_key = &request.wrapped_key(), .attributes = &request.encrypted_attributes()});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = RequireRequestId(request.request_id()); !s.ok()) return s;

  absl::MutexLock lock(&locks_.For(actor.user_id));
  absl::StatusOr<std::string> existing = db_.store().Get(db_.roots, store::KeyView(actor.user_id));
  if (existing.ok()) {
    absl::StatusOr<std::string> made = db_.store().Get(
        db_.requests, store::KeyView(store::JoinKey(actor.user_id, request.request_id())));
    if (!request.request_id().empty() && made.ok() && *made == *existing) {
      absl::StatusOr<v1::Node> root = LoadId(*existing);
      if (!root.ok()) return root.status();
      return Present(*std::move(root));
    }
    return absl::AlreadyExistsError(
        absl::StrCat("you already have a root folder: ", NodeName(*existing)));
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();

  v1::Node root;
  const std::string id = ids::NewId();
  root.set_name(NodeName(id));
  root.set_owner(UserName(actor.user_id));
  root.set_type(v1::NODE_TYPE_FOLDER);
  root.set_state(v1::NODE_STATE_ACTIVE);
  root.set_encrypted_attributes(request.encrypted_attributes());
  root.set_wrapped_key(request.wrapped_key());
  root.set_revision(1);
  *root.mutable_create_time() = auth::ProtoFromTime(now);
  *root.mutable_update_time() = root.create_time();

  store::WriteBatch batch;
  store::PutRecord(&batch, db_.nodes, id, root);
  batch.Put(db_.roots, store::KeyView(actor.user_id), id);
  if (!request.request_id().empty()) {
    batch.Put(db_.requests, store::KeyView(store::JoinKey(actor.user_id, request.request_id())),
              id);
  }
  if (absl::Status s = Commit(&batch, actor, v1::CHANGE_TYPE_NODE_CREATED, root, now); !s.ok()) {
    return s;
  }
  return Present(std::move(root));
}

absl::StatusOr<v1::Node> Tree::GetRoot(const Actor& actor) const {
  absl::StatusOr<std::string> id = db_.store().Get(db_.roots, store::KeyView(actor.user_id));
  if (absl::IsNotFound(id.status())) {
    return absl::NotFoundError("you have no root folder yet; create it with CreateRootNode");
  }
  if (!id.ok()) return id.status();
  absl::StatusOr<v1::Node> root = LoadId(*id);
  if (!root.ok()) return root.status();
  return Present(*std::move(root));
}

absl::StatusOr<v1::Node> Tree::CreateFolder(const Actor& actor,
                                            const v1::CreateFolderRequest& request,
                                            absl::Time now) {
  if (absl::Status s = RequireSealed({.wrapped_key = &request.wrapped_key(),
                                      .name_hmac = &request.name_hmac(),
                                      .attributes = &request.encrypted_attributes()});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = RequireRequestId(request.request_id()); !s.ok()) return s;

  absl::MutexLock lock(&LockOf(request.parent()));
  if (!request.request_id().empty()) {
    absl::StatusOr<std::string> made = db_.store().Get(
        db_.requests, store::KeyView(store::JoinKey(actor.user_id, request.request_id())));
    if (made.ok()) {
      absl::StatusOr<std::string> id = ReplayedId(*made, request, "folder");
      if (!id.ok()) return id.status();
      absl::StatusOr<v1::Node> folder = LoadId(*id);
      if (!folder.ok()) return folder.status();
      return Present(*std::move(folder));
    }
    if (!absl::IsNotFound(made.status())) return made.status();
  }
  absl::StatusOr<v1::Node> parent = WritableFolder(actor, request.parent(), "parent");
  if (!parent.ok()) return parent.status();
  const std::string parent_id(kit::IdOfName(parent->name()));
  if (absl::Status s = RequireFreeName(parent_id, request.name_hmac()); !s.ok()) return s;

  v1::Node folder;
  const std::string id = ids::NewId();
  folder.set_name(NodeName(id));
  folder.set_parent(parent->name());
  folder.set_owner(parent->owner());
  folder.set_type(v1::NODE_TYPE_FOLDER);
  folder.set_state(v1::NODE_STATE_ACTIVE);
  folder.set_encrypted_attributes(request.encrypted_attributes());
  folder.set_wrapped_key(request.wrapped_key());
  folder.set_name_hmac(request.name_hmac());
  folder.set_revision(1);
  *folder.mutable_create_time() = auth::ProtoFromTime(now);
  *folder.mutable_update_time() = folder.create_time();

  store::WriteBatch batch;
  store::PutRecord(&batch, db_.nodes, id, folder);
  batch.Put(db_.children, store::KeyView(store::JoinKey(parent_id, id)), "");
  batch.Put(db_.names, store::KeyView(store::JoinKey(parent_id, request.name_hmac())), id);
  if (!request.request_id().empty()) {
    batch.Put(db_.requests, store::KeyView(store::JoinKey(actor.user_id, request.request_id())),
              ReplayRecord(id, request));
  }
  if (absl::Status s = Commit(&batch, actor, v1::CHANGE_TYPE_NODE_CREATED, folder, now); !s.ok()) {
    return s;
  }
  return Present(std::move(folder));
}

absl::StatusOr<v1::Node> Tree::Get(const Actor& actor, absl::string_view name) const {
  absl::StatusOr<v1::Node> node = LoadReadable(actor, name, "name");
  if (!node.ok()) return node.status();
  return Present(*std::move(node));
}

absl::StatusOr<ChildPage> Tree::ListChildren(const Actor& actor,
                                             const v1::ListChildrenRequest& request) const {
  absl::StatusOr<size_t> page_size =
      kit::PageSizeOf(request.page_size(), {.default_size = kPageSizeDefault, .max = kPageSizeMax});
  if (!page_size.ok()) return page_size.status();
  if (!request.recursive()) {
    if (absl::Status s = kit::ValidatePageToken(request.page_token()); !s.ok()) return s;
  }
  // Read first: whatever changes during the listing is in the log after this point.
  absl::StatusOr<uint64_t> sequence = ChangeLog(db_).Head(actor.user_id);
  if (!sequence.ok()) return sequence.status();
  absl::StatusOr<v1::Node> parent = LoadReadable(actor, request.parent(), "parent");
  if (!parent.ok()) return parent.status();
  if (parent->type() != v1::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(absl::StrCat(request.parent(), " is a file"));
  }
  absl::StatusOr<v1::Node> shown_parent = Present(*parent);
  if (!shown_parent.ok()) return shown_parent.status();
  const bool parent_trashed = shown_parent->state() == v1::NODE_STATE_TRASHED;

  ChildPage page;
  page.change_sequence = *sequence;
  const auto scan = request.recursive() ? &Tree::ScanSubtree : &Tree::ScanChildren;
  if (absl::Status s = (this->*scan)(*parent, parent_trashed, request.page_token(), *page_size,
                                     request.show_trashed(), &page);
      !s.ok()) {
    return s;
  }
  for (v1::Node& child : page.nodes) {
    child.set_access_role(parent->access_role());
    if (absl::Status s = MarkShared(&child); !s.ok()) return s;
  }
  return page;
}

absl::StatusOr<ChildPage> Tree::ListChildrenThroughLink(
    absl::string_view root, const v1::ListLinkChildrenRequest& request) const {
  absl::StatusOr<size_t> page_size =
      kit::PageSizeOf(request.page_size(), {.default_size = kPageSizeDefault, .max = kPageSizeMax});
  if (!page_size.ok()) return page_size.status();
  if (!request.recursive()) {
    if (absl::Status s = kit::ValidatePageToken(request.page_token()); !s.ok()) return s;
  }
  absl::StatusOr<v1::Node> parent = GetThroughLink(root, request.parent());
  if (!parent.ok()) return parent.status();
  if (parent->type() != v1::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(absl::StrCat(parent->name(), " is a file"));
  }
  ChildPage page;
  const auto scan = request.recursive() ? &Tree::ScanSubtree : &Tree::ScanChildren;
  if (absl::Status s = (this->*scan)(*parent, /*parent_trashed=*/false, request.page_token(),
                                     *page_size, /*show_trashed=*/false, &page);
      !s.ok()) {
    return s;
  }
  for (v1::Node& child : page.nodes) ShowToLinkReader(root, child);
  return page;
}

absl::Status Tree::ScanChildren(const v1::Node& parent, bool parent_trashed,
                                absl::string_view page_token, size_t page_size, bool show_trashed,
                                ChildPage* page) const {
  const std::string parent_id(kit::IdOfName(parent.name()));
  const std::string after = store::JoinKey(parent_id, page_token);
  store::PrefixIterator it = db_.store().Scan(
      db_.children,
      {.prefix = store::KeyView(parent_id),
       .start_after = page_token.empty() ? std::nullopt : std::optional<std::string_view>(after)});
  std::string last_id;
  size_t scanned = 0;
  for (; it.Valid(); it.Next()) {
    const absl::string_view child_id =
        absl::string_view(it.key().data(), it.key().size()).substr(parent_id.size());
    // A page ends when full, or after kScannedPerPageMax children were read (many in
    // the trash), so one call's work stays bounded; the token carries on from there.
    if (page->nodes.size() == page_size || scanned == kScannedPerPageMax) {
      page->next_page_token = last_id;
      break;
    }
    ++scanned;
    last_id = std::string(child_id);
    absl::StatusOr<v1::Node> child = LoadId(child_id);
    if (!child.ok()) return child.status();
    if (parent_trashed) child->set_state(v1::NODE_STATE_TRASHED);
    if (child->state() != v1::NODE_STATE_ACTIVE && !show_trashed) continue;
    page->nodes.push_back(*std::move(child));
  }
  return it.status();
}

absl::StatusOr<v1::Node> Tree::Rename(const Actor& actor, const v1::RenameNodeRequest& request,
                                      absl::Time now) {
  if (absl::Status s = RequireSealed(
          {.name_hmac = &request.name_hmac(), .attributes = &request.encrypted_attributes()});
      !s.ok()) {
    return s;
  }
  absl::MutexLock lock(&LockOf(request.name()));
  v1::AccessRole role = v1::ACCESS_ROLE_UNSPECIFIED;
  absl::StatusOr<v1::Node> node =
      LoadChangeable(actor, request.name(), "renamed", request.expected_revision(),
                     Changers::kOwnerAndWriters, &role);
  if (!node.ok()) return node.status();

  const std::string id(kit::IdOfName(node->name()));
  const std::string parent_id(kit::IdOfName(node->parent()));
  store::WriteBatch batch;
  // Only an active node holds its name in its folder; a trashed one claims it on restore.
  if (node->state() == v1::NODE_STATE_ACTIVE && node->name_hmac() != request.name_hmac()) {
    if (absl::Status s = RequireFreeName(parent_id, request.name_hmac()); !s.ok()) return s;
    batch.Delete(db_.names, store::KeyView(store::JoinKey(parent_id, node->name_hmac())));
    batch.Put(db_.names, store::KeyView(store::JoinKey(parent_id, request.name_hmac())), id);
  }
  node->set_encrypted_attributes(request.encrypted_attributes());
  node->set_name_hmac(request.name_hmac());
  Touch(*node, now);
  store::PutRecord(&batch, db_.nodes, id, *node);
  if (absl::Status s = Commit(&batch, actor, v1::CHANGE_TYPE_NODE_RENAMED, *node, now); !s.ok()) {
    return s;
  }
  node->set_access_role(role);
  return Present(*std::move(node));
}

absl::StatusOr<v1::Node> Tree::Move(const Actor& actor, const v1::MoveNodeRequest& request,
                                    absl::Time now) {
  if (absl::Status s = RequireSealed({.wrapped_key = &request.wrapped_key(),
                                      .name_hmac = &request.name_hmac(),
                                      .attributes = &request.encrypted_attributes(),
                                      .attributes_optional = true});
      !s.ok()) {
    return s;
  }
  absl::MutexLock lock(&LockOf(request.name()));
  v1::AccessRole role = v1::ACCESS_ROLE_UNSPECIFIED;
  absl::StatusOr<v1::Node> node =
      LoadChangeable(actor, request.name(), "moved", request.expected_revision(),
                     Changers::kOwnerAndWriters, &role);
  if (!node.ok()) return node.status();
  if (node->state() != v1::NODE_STATE_ACTIVE) {
    return absl::FailedPreconditionError(
        absl::StrCat(request.name(),
                     " is in the trash; restore it (RestoreNode can restore "
                     "into another folder) instead of moving it"));
  }
  absl::StatusOr<v1::Node> destination = WritableFolder(actor, request.new_parent(), "new_parent");
  if (!destination.ok()) return destination.status();
  if (absl::Status s = RequireSameTree(*node, *destination, "moved"); !s.ok()) return s;
  absl::StatusOr<std::vector<v1::Node>> above = Ancestors(*destination);
  if (!above.ok()) return above.status();
  above->push_back(*destination);
  for (const v1::Node& folder : *above) {
    if (folder.name() == node->name()) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot move ", node->name(), " into itself or a folder inside it"));
    }
  }
  // Nothing may end up deeper than a create allows (WritableFolder). Only a move deeper
  // than the node is now can break that, and then only by what the node holds.
  if (node->type() == v1::NODE_TYPE_FOLDER) {
    const int new_depth = static_cast<int>(above->size());
    absl::StatusOr<std::vector<v1::Node>> now_above = Ancestors(*node);
    if (!now_above.ok()) return now_above.status();
    absl::StatusOr<bool> too_deep = new_depth > static_cast<int>(now_above->size())
                                        ? HoldsDeeperThan(*node, kDepthMax - 1 - new_depth)
                                        : false;
    if (!too_deep.ok()) return too_deep.status();
    if (*too_deep) {
      return absl::FailedPreconditionError(absl::StrCat(
          "moved there, what ", node->name(), " holds would lie more than ", kDepthMax - 1,
          " folders below the root, the most allowed: choose a "
          "folder nearer the top"));
    }
  }

  const std::string id(kit::IdOfName(node->name()));
  const std::string from(kit::IdOfName(node->parent()));
  const std::string to(kit::IdOfName(destination->name()));
  const bool same_place = from == to && node->name_hmac() == request.name_hmac();
  if (!same_place) {
    if (absl::Status s = RequireFreeName(to, request.name_hmac()); !s.ok()) return s;
  }
  store::WriteBatch batch;
  batch.Delete(db_.children, store::KeyView(store::JoinKey(from, id)));
  batch.Delete(db_.names, store::KeyView(store::JoinKey(from, node->name_hmac())));
  batch.Put(db_.children, store::KeyView(store::JoinKey(to, id)), "");
  batch.Put(db_.names, store::KeyView(store::JoinKey(to, request.name_hmac())), id);
  const std::string previous_parent = node->parent();
  node->set_parent(destination->name());
  node->set_wrapped_key(request.wrapped_key());
  node->set_name_hmac(request.name_hmac());
  if (!request.encrypted_attributes().empty()) {
    node->set_encrypted_attributes(request.encrypted_attributes());
  }
  Touch(*node, now);
  store::PutRecord(&batch, db_.nodes, id, *node);
  if (absl::Status s =
          Commit(&batch, actor, v1::CHANGE_TYPE_NODE_MOVED, *node, now, previous_parent);
      !s.ok()) {
    return s;
  }
  node->set_access_role(role);
  return Present(*std::move(node));
}

absl::StatusOr<v1::Node> Tree::Trash(const Actor& actor, const v1::TrashNodeRequest& request,
                                     absl::Time now) {
  absl::MutexLock lock(&LockOf(request.name()));
  v1::AccessRole role = v1::ACCESS_ROLE_UNSPECIFIED;
  absl::StatusOr<v1::Node> node =
      LoadChangeable(actor, request.name(), "put in the trash", request.expected_revision(),
                     Changers::kOwnerAndWriters, &role);
  if (!node.ok()) return node.status();
  if (node->state() == v1::NODE_STATE_TRASHED) {  // Already.
    node->set_access_role(role);
    return Present(*std::move(node));
  }

  const std::string id(kit::IdOfName(node->name()));
  store::WriteBatch batch;
  batch.Delete(db_.names,
               store::KeyView(store::JoinKey(kit::IdOfName(node->parent()), node->name_hmac())));
  // The owner's trash, whoever trashed it: restoring and purging are the owner's.
  batch.Put(db_.trash, store::KeyView(store::JoinKey(kit::IdOfName(node->owner()), id)), "");
  node->set_state(v1::NODE_STATE_TRASHED);
  *node->mutable_trash_time() = auth::ProtoFromTime(now);
  Touch(*node, now);
  store::PutRecord(&batch, db_.nodes, id, *node);
  if (absl::Status s = Commit(&batch, actor, v1::CHANGE_TYPE_NODE_TRASHED, *node, now); !s.ok()) {
    return s;
  }
  node->set_access_role(role);
  return Present(*std::move(node));
}

absl::StatusOr<v1::Node> Tree::Restore(const Actor& actor, const v1::RestoreNodeRequest& request,
                                       absl::Time now) {
  const bool elsewhere = !request.new_parent().empty();
  if (absl::Status s = RequireSealed(
          {.wrapped_key = elsewhere ? &request.wrapped_key() : nullptr,
           .name_hmac = elsewhere || !request.name_hmac().empty() ? &request.name_hmac() : nullptr,
           .attributes = &request.encrypted_attributes(),
           .attributes_optional = true});
      !s.ok()) {
    return s;
  }

  absl::MutexLock lock(&locks_.For(actor.user_id));
  absl::StatusOr<v1::Node> node =
      LoadOwned(actor, request.name(), "name", OwnersOnly(request.name(), "restored"));
  if (!node.ok()) return node.status();
  if (node->state() != v1::NODE_STATE_TRASHED) {
    absl::StatusOr<v1::Node> shown = Present(*node);
    if (!shown.ok()) return shown.status();
    if (shown->state() == v1::NODE_STATE_TRASHED) {
      return absl::FailedPreconditionError(absl::StrCat(
          request.name(), " is in a trashed folder; restore that folder, or move this out"));
    }
    return absl::FailedPreconditionError(absl::StrCat(request.name(), " is not in the trash"));
  }
  const std::string target_name = elsewhere ? request.new_parent() : node->parent();
  absl::StatusOr<v1::Node> target =
      WritableFolder(actor, target_name, elsewhere ? "new_parent" : "name");
  if (!target.ok()) {
    if (!elsewhere && absl::IsFailedPrecondition(target.status())) {
      return absl::FailedPreconditionError(
          absl::StrCat(target.status().message(),
                       "; restore into another folder with new_parent, wrapped_key and name_hmac"));
    }
    return target.status();
  }
  if (absl::Status s = RequireSameTree(*node, *target, "restored"); !s.ok()) return s;
  const std::string name_hmac =
      request.name_hmac().empty() ? node->name_hmac() : request.name_hmac();
  const std::string to(kit::IdOfName(target->name()));
  if (absl::Status s = RequireFreeName(to, name_hmac); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat(s.message(),
                                               "; restore it under another name with "
                                               "encrypted_attributes and name_hmac"));
  }

  const std::string id(kit::IdOfName(node->name()));
  store::WriteBatch batch;
  if (elsewhere && target->name() != node->parent()) {
    batch.Delete(db_.children, store::KeyView(store::JoinKey(kit::IdOfName(node->parent()), id)));
    batch.Put(db_.children, store::KeyView(store::JoinKey(to, id)), "");
    node->set_parent(target->name());
  }
  if (elsewhere) node->set_wrapped_key(request.wrapped_key());
  batch.Put(db_.names, store::KeyView(store::JoinKey(to, name_hmac)), id);
  batch.Delete(db_.trash, store::KeyView(store::JoinKey(actor.user_id, id)));
  node->set_name_hmac(name_hmac);
  if (!request.encrypted_attributes().empty()) {
    node->set_encrypted_attributes(request.encrypted_attributes());
  }
  node->set_state(v1::NODE_STATE_ACTIVE);
  node->clear_trash_time();
  Touch(*node, now);
  store::PutRecord(&batch, db_.nodes, id, *node);
  if (absl::Status s = Commit(&batch, actor, v1::CHANGE_TYPE_NODE_RESTORED, *node, now); !s.ok()) {
    return s;
  }
  return Present(*std::move(node));
}

}  // namespace bitcontent::metadata
