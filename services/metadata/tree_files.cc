// Tree: files and their versions. A file is made by committing an upload (uploads.cc):
// its head version names the blob holding its sealed chunks. Every version is kept in
// the versions family; the node carries its head as well, so a listing shows sizes and
// layouts without a second read.
#include <utility>

#include "absl/strings/str_cat.h"
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
#include "services/metadata/tree.h"

namespace bitcontent::metadata {
namespace {

// A new active file `id` in `parent`, sealed as `sealed` says, whose head is `version`.
v1::Node NewFileNode(absl::string_view id, const v1::Node& parent, const v1::Version& version,
                     const v1::NewFile& sealed, absl::Time now) {
  v1::Node node;
  node.set_name(NodeName(id));
  node.set_parent(parent.name());
  node.set_owner(parent.owner());
  node.set_type(v1::NODE_TYPE_FILE);
  node.set_state(v1::NODE_STATE_ACTIVE);
  node.set_encrypted_attributes(sealed.encrypted_attributes());
  node.set_wrapped_key(sealed.wrapped_key());
  node.set_name_hmac(sealed.name_hmac());
  node.set_revision(1);
  *node.mutable_head_version() = version;
  node.set_stored_bytes(version.size_bytes());
  *node.mutable_create_time() = auth::ProtoFromTime(now);
  *node.mutable_update_time() = node.create_time();
  return node;
}

}  // namespace

void Tree::PutNewVersion(store::WriteBatch* batch, absl::string_view node_id,
                         const v1::Version& version) {
  store::PutRecord(batch, db_.versions, store::JoinKey(node_id, kit::IdOfName(version.name())),
                   version);
  blob_references_.StageAdd(batch, version);
}

void Tree::DropVersion(store::WriteBatch* batch, absl::string_view node_id,
                       const v1::Version& version) {
  batch->Delete(db_.versions,
                store::KeyView(store::JoinKey(node_id, kit::IdOfName(version.name()))));
  blob_references_.StageRemove(batch, version);
}

absl::StatusOr<std::vector<v1::Version>> Tree::VersionsOf(absl::string_view node_id) const {
  std::vector<v1::Version> versions;
  store::PrefixIterator it = db_.store().Scan(db_.versions, {.prefix = store::KeyView(node_id)});
  for (; it.Valid(); it.Next()) {
    v1::Version& version = versions.emplace_back();
    if (!version.ParseFromArray(it.value().data(), static_cast<int>(it.value().size()))) {
      return absl::DataLossError(absl::StrCat("a version of ", NodeName(node_id), " is damaged"));
    }
  }
  if (!it.status().ok()) return it.status();
  return versions;
}

void Tree::PutNewFile(store::WriteBatch* batch, const v1::Node& node) {
  const std::string id(kit::IdOfName(node.name()));
  const std::string parent_id(kit::IdOfName(node.parent()));
  store::PutRecord(batch, db_.nodes, id, node);
  PutNewVersion(batch, id, node.head_version());
  batch->Put(db_.children, store::KeyView(store::JoinKey(parent_id, id)), "");
  batch->Put(db_.names, store::KeyView(store::JoinKey(parent_id, node.name_hmac())), id);
}

absl::StatusOr<v1::CommitUploadResponse> Tree::CreateFile(
    const Actor& actor, absl::string_view parent_name, const v1::NewFile& file, v1::Version version,
    store::WriteBatch* batch, absl::FunctionRef<absl::Status(const v1::Version&)> before_write,
    absl::Time now) {
  if (absl::Status s = RequireSealed({.wrapped_key = &file.wrapped_key(),
                                      .name_hmac = &file.name_hmac(),
                                      .attributes = &file.encrypted_attributes(),
                                      .prefix = "new_file."});
      !s.ok()) {
    return s;
  }
  absl::MutexLock lock(&LockOf(parent_name));
  absl::StatusOr<v1::Node> parent = WritableFolder(actor, parent_name, "parent");
  if (!parent.ok()) return parent.status();
  const std::string parent_id(kit::IdOfName(parent->name()));
  if (absl::Status s = RequireFreeName(parent_id, file.name_hmac()); !s.ok()) return s;

  const std::string id = ids::NewId();
  version.set_name(VersionName(id, ids::NewId()));
  version.set_creator(UserName(actor.user_id));
  version.set_device_id(actor.device_id);
  version.set_head(true);
  *version.mutable_create_time() = auth::ProtoFromTime(now);
  if (absl::Status s = before_write(version); !s.ok()) return s;
  const v1::Node node = NewFileNode(id, *parent, version, file, now);
  PutNewFile(batch, node);
  if (absl::Status s = Commit(batch, actor, v1::CHANGE_TYPE_NODE_CREATED, node, now); !s.ok()) {
    return s;
  }
  v1::CommitUploadResponse made;
  absl::StatusOr<v1::Node> shown = Present(std::move(node));
  if (!shown.ok()) return shown.status();
  *made.mutable_node() = *std::move(shown);
  *made.mutable_version() = std::move(version);
  return made;
}

absl::StatusOr<v1::Node> Tree::CopyFile(
    const Actor& actor, const v1::Node& source, const v1::CopyNodeRequest& request,
    absl::FunctionRef<absl::Status(const v1::Node&)> before_write, absl::Time now) {
  if (absl::Status s = RequireSealed({.wrapped_key = &request.wrapped_key(),
                                      .name_hmac = &request.name_hmac(),
                                      .attributes = &request.encrypted_attributes(),
                                      .attributes_optional = true});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = RequireRequestId(request.request_id()); !s.ok()) return s;
  if (source.type() != v1::NODE_TYPE_FILE) {
    return absl::UnimplementedError(
        "copying a folder in one call is not built yet: make the folder and copy each file in "
        "it (bitcontent import-link does)");
  }
  absl::MutexLock lock(&LockOf(request.new_parent()));
  const std::string request_key = store::JoinKey(actor.user_id, "copy/", request.request_id());
  if (!request.request_id().empty()) {
    absl::StatusOr<std::string> made = db_.store().Get(db_.requests, store::KeyView(request_key));
    if (made.ok()) {
      absl::StatusOr<std::string> id = ReplayedId(*made, request, "copy");
      if (!id.ok()) return id.status();
      return Get(actor, NodeName(*id));
    }
    if (!absl::IsNotFound(made.status())) return made.status();
  }
  absl::StatusOr<v1::Node> parent = WritableFolder(actor, request.new_parent(), "new_parent");
  if (!parent.ok()) return parent.status();
  const std::string parent_id(kit::IdOfName(parent->name()));
  if (absl::Status s = RequireFreeName(parent_id, request.name_hmac()); !s.ok()) return s;

  const std::string id = ids::NewId();
  v1::Version version = source.head_version();
  version.set_name(VersionName(id, ids::NewId()));
  version.set_head(true);
  version.clear_expire_time();
  *version.mutable_create_time() = auth::ProtoFromTime(now);
  v1::NewFile sealed;
  sealed.set_wrapped_key(request.wrapped_key());
  sealed.set_name_hmac(request.name_hmac());
  sealed.set_encrypted_attributes(request.encrypted_attributes().empty()
                                      ? source.encrypted_attributes()
                                      : request.encrypted_attributes());
  v1::Node node = NewFileNode(id, *parent, version, sealed, now);
  if (absl::Status s = before_write(node); !s.ok()) return s;

  store::WriteBatch batch;
  PutNewFile(&batch, node);
  if (!request.request_id().empty()) {
    batch.Put(db_.requests, store::KeyView(request_key), ReplayRecord(id, request));
  }
  if (absl::Status s = Commit(&batch, actor, v1::CHANGE_TYPE_NODE_CREATED, node, now); !s.ok()) {
    return s;
  }
  node.set_access_role(parent->access_role());
  return Present(std::move(node));
}

absl::StatusOr<v1::Node> Tree::WritableFile(const Actor& actor, absl::string_view name,
                                            absl::string_view field) const {
  absl::StatusOr<v1::Node> file = LoadWritable(actor, name, field);
  if (!file.ok()) return file.status();
  if (file->type() != v1::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError(absl::StrCat(name, " is a folder, not a file"));
  }
  absl::StatusOr<v1::Node> shown = Present(*std::move(file));
  if (!shown.ok()) return shown.status();
  if (shown->state() != v1::NODE_STATE_ACTIVE) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, " is in the trash; restore it before adding a version"));
  }
  return shown;
}

absl::StatusOr<VersionAdded> Tree::AddVersion(
    const Actor& actor, absl::string_view node_name, absl::string_view expected_head,
    v1::Version version, store::WriteBatch* batch,
    absl::FunctionRef<absl::Status(const v1::Version&)> before_write, absl::Time now) {
  absl::MutexLock lock(&LockOf(node_name));
  absl::StatusOr<v1::Node> shown = WritableFile(actor, node_name, "new_version.node");
  if (!shown.ok()) return shown.status();
  if (!expected_head.empty() && expected_head != shown->head_version().name()) {
    return kit::WithReason(
        absl::AbortedError(absl::StrCat(node_name, " has a newer version (",
                                        shown->head_version().name(), ") than ", expected_head,
                                        ": commit this upload as a copy, or merge and retry")),
        common::v1::ERROR_REASON_REVISION_MISMATCH);
  }
  const std::string id(kit::IdOfName(shown->name()));
  absl::StatusOr<v1::Node> node = LoadId(id);  // As stored: no role, no presented state.
  if (!node.ok()) return node.status();

  version.set_name(VersionName(id, ids::NewId()));
  version.set_creator(UserName(actor.user_id));
  version.set_device_id(actor.device_id);
  version.set_head(true);
  *version.mutable_create_time() = auth::ProtoFromTime(now);
  if (absl::Status s = before_write(version); !s.ok()) return s;

  // The kept versions, oldest first (ids are time-ordered); the new one makes one more,
  // and the retention rule may drop some.
  absl::StatusOr<std::vector<v1::Version>> versions = VersionsOf(id);
  if (!versions.ok()) return versions.status();
  absl::StatusOr<v1::RetentionPolicy> policy = PolicyOf(kit::IdOfName(node->owner()));
  if (!policy.ok()) return policy.status();
  for (v1::Version& old : *versions) {
    if (!old.head()) continue;
    old.set_head(false);
    *old.mutable_replace_time() = version.create_time();
    store::PutRecord(batch, db_.versions, store::JoinKey(id, kit::IdOfName(old.name())), old);
  }
  PutNewVersion(batch, id, version);
  *node->mutable_head_version() = version;
  node->set_stored_bytes(node->stored_bytes() + version.size_bytes());
  versions->push_back(version);
  VersionAdded added;
  for (const v1::Version& dropped : DropExpired(batch, *node, *versions, *policy, now)) {
    added.freed_bytes += dropped.size_bytes();
  }
  if (absl::Status s = CommitFileChange(batch, actor, v1::CHANGE_TYPE_VERSION_ADDED, *node, now);
      !s.ok()) {
    return s;
  }
  node->set_access_role(shown->access_role());
  absl::StatusOr<v1::Node> presented = Present(*std::move(node));
  if (!presented.ok()) return presented.status();
  *added.made.mutable_node() = *std::move(presented);
  *added.made.mutable_version() = std::move(version);
  return added;
}

absl::StatusOr<v1::ListVersionsResponse> Tree::ListVersions(
    const Actor& actor, const v1::ListVersionsRequest& request) const {
  absl::StatusOr<size_t> page_size =
      kit::PageSizeOf(request.page_size(), {.default_size = 100, .max = 100});
  if (!page_size.ok()) return page_size.status();
  if (absl::Status s = kit::ValidatePageToken(request.page_token()); !s.ok()) return s;
  absl::StatusOr<v1::Node> file = LoadReadable(actor, request.parent(), "parent");
  if (!file.ok()) return file.status();
  if (file->type() != v1::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError(absl::StrCat(request.parent(), " is a folder"));
  }
  absl::StatusOr<std::vector<v1::Version>> all = VersionsOf(kit::IdOfName(file->name()));
  if (!all.ok()) return all.status();
  absl::StatusOr<v1::RetentionPolicy> policy = PolicyOf(kit::IdOfName(file->owner()));
  if (!policy.ok()) return policy.status();
  v1::ListVersionsResponse response;
  // Newest first: versions are kept in id (creation) order, at most kVersionsKeptMax.
  for (size_t index = all->size(); index-- > 0;) {
    // A copy: ReplacedAt reads the version after this one, which must stay as it is.
    v1::Version version = (*all)[index];
    const std::string version_id(kit::IdOfName(version.name()));
    if (!request.page_token().empty() && version_id >= request.page_token()) continue;
    if (static_cast<size_t>(response.versions_size()) == *page_size) {
      response.set_next_page_token(
          std::string(kit::IdOfName(response.versions().rbegin()->name())));
      break;
    }
    version.set_head(version.name() == file->head_version().name());
    if (!version.head()) {
      const absl::Time replaced = ReplacedAt(*all, index);
      *version.mutable_replace_time() = auth::ProtoFromTime(replaced);
      if (policy->max_age_days() > 0) {
        *version.mutable_expire_time() =
            auth::ProtoFromTime(replaced + absl::Hours(24) * policy->max_age_days());
      }
    }
    *response.add_versions() = std::move(version);
  }
  return response;
}

absl::Status Tree::CommitFileChange(store::WriteBatch* batch, const Actor& actor,
                                    v1::ChangeType type, v1::Node& node, absl::Time now) {
  node.set_revision(node.revision() + 1);
  *node.mutable_update_time() = auth::ProtoFromTime(now);
  store::PutRecord(batch, db_.nodes, kit::IdOfName(node.name()), node);
  return Commit(batch, actor, type, node, now);
}

absl::StatusOr<v1::Node> Tree::RestoreVersion(const Actor& actor,
                                              const v1::RestoreVersionRequest& request,
                                              absl::Time now) {
  absl::StatusOr<kit::VersionIds> ids = kit::VersionIdsIn(request.name(), "name");
  if (!ids.ok()) return ids.status();
  absl::MutexLock lock(&LockOf(NodeName(ids->node_id)));
  absl::StatusOr<v1::Node> shown = WritableFile(actor, NodeName(ids->node_id), "name");
  if (!shown.ok()) return shown.status();
  if (absl::Status s = RequireRevision(*shown, request.expected_revision()); !s.ok()) return s;
  absl::StatusOr<v1::Version> version = VersionOf(*shown, request.name());
  if (!version.ok()) return version.status();
  if (version->head()) return shown;

  absl::StatusOr<v1::Node> node = LoadId(ids->node_id);  // As stored.
  if (!node.ok()) return node.status();
  v1::Version previous = node->head_version();
  previous.set_head(false);
  *previous.mutable_replace_time() = auth::ProtoFromTime(now);
  version->set_head(true);
  version->clear_replace_time();
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.versions,
                   store::JoinKey(ids->node_id, kit::IdOfName(previous.name())), previous);
  store::PutRecord(&batch, db_.versions, store::JoinKey(ids->node_id, ids->version_id), *version);
  *node->mutable_head_version() = *std::move(version);
  if (absl::Status s = CommitFileChange(&batch, actor, v1::CHANGE_TYPE_VERSION_ADDED, *node, now);
      !s.ok()) {
    return s;
  }
  node->set_access_role(shown->access_role());
  return Present(*std::move(node));
}

absl::StatusOr<VersionDeleted> Tree::DeleteVersion(const Actor& actor,
                                                   const v1::DeleteVersionRequest& request,
                                                   absl::Time now) {
  absl::StatusOr<kit::VersionIds> ids = kit::VersionIdsIn(request.name(), "name");
  if (!ids.ok()) return ids.status();
  absl::MutexLock lock(&LockOf(NodeName(ids->node_id)));
  absl::StatusOr<v1::Node> shown = LoadReadable(actor, NodeName(ids->node_id), "name");
  if (!shown.ok()) return shown.status();
  // Deleting a version destroys it for good, so it is the owner's alone, as purging is;
  // writers may restore one (RestoreVersion), which loses nothing; readers neither, and
  // no role a share gives would let them delete.
  if (shown->access_role() == v1::ACCESS_ROLE_READER) {
    return absl::PermissionDeniedError(
        absl::StrCat("only the owner of ", shown->name(),
                     " can delete its versions (it is shared with you "
                     "to read)"));
  }
  if (shown->access_role() != v1::ACCESS_ROLE_OWNER) {
    return absl::PermissionDeniedError(
        absl::StrCat("only the owner of ", shown->name(),
                     " can delete its versions; as a member it is shared with to write, you "
                     "may restore an earlier one instead"));
  }
  shown = WritableFile(actor, NodeName(ids->node_id), "name");
  if (!shown.ok()) return shown.status();
  absl::StatusOr<v1::Version> version = VersionOf(*shown, request.name());
  if (!version.ok()) return version.status();
  if (version->head()) {
    return absl::FailedPreconditionError(
        absl::StrCat(request.name(),
                     " is the file's current version: restore another one "
                     "first, or purge the file"));
  }
  absl::StatusOr<v1::Node> node = LoadId(ids->node_id);  // As stored.
  if (!node.ok()) return node.status();
  store::WriteBatch batch;
  DropVersion(&batch, ids->node_id, *version);
  node->set_stored_bytes(node->stored_bytes() - version->size_bytes());
  if (absl::Status s = CommitFileChange(&batch, actor, v1::CHANGE_TYPE_VERSION_REMOVED, *node, now);
      !s.ok()) {
    return s;
  }
  return VersionDeleted{.freed_bytes = version->size_bytes(), .owner = node->owner()};
}

absl::StatusOr<v1::Version> Tree::GetVersion(const Actor& actor, absl::string_view node_name,
                                             absl::string_view version_name) const {
  absl::StatusOr<v1::Node> node = LoadReadable(actor, node_name, "node");
  if (!node.ok()) return node.status();
  return VersionOf(*node, version_name);
}

absl::StatusOr<v1::Version> Tree::VersionOf(const v1::Node& file,
                                            absl::string_view version_name) const {
  if (file.type() != v1::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError(absl::StrCat(file.name(), " is a folder, not a file"));
  }
  if (version_name.empty()) return file.head_version();
  absl::StatusOr<kit::VersionIds> ids = kit::VersionIdsIn(version_name, "version");
  if (!ids.ok()) return ids.status();
  if (NodeName(ids->node_id) != file.name()) {
    return absl::NotFoundError(absl::StrCat(version_name, " is not a version of ", file.name()));
  }
  absl::StatusOr<std::optional<v1::Version>> found = store::FindRecord<v1::Version>(
      db_.store(), db_.versions, store::JoinKey(ids->node_id, ids->version_id));
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError(absl::StrCat(version_name, " not found"));
  v1::Version version = **std::move(found);
  version.set_head(version.name() == file.head_version().name());
  return version;
}

absl::StatusOr<v1::Node> Tree::GetThroughLink(absl::string_view root,
                                              absl::string_view name) const {
  const absl::string_view wanted = name.empty() ? root : name;
  absl::StatusOr<std::string> id = kit::IdIn(wanted, "nodes", "node");
  if (!id.ok()) return id.status();
  absl::StatusOr<v1::Node> node = LoadId(*id);
  if (!node.ok()) return node.status();
  absl::StatusOr<std::vector<v1::Node>> ancestors = Ancestors(*node);
  if (!ancestors.ok()) return ancestors.status();
  // Inside the link's subtree, and not in the trash: a trashed folder takes what it
  // holds (and the links to it) out of reach until it is restored.
  bool inside = node->name() == root;
  bool active = node->state() == v1::NODE_STATE_ACTIVE;
  for (const v1::Node& ancestor : *ancestors) {
    inside = inside || ancestor.name() == root;
    active = active && ancestor.state() == v1::NODE_STATE_ACTIVE;
  }
  if (!inside || !active) return absl::NotFoundError(absl::StrCat(wanted, " not found"));
  ShowToLinkReader(root, *node);
  return node;
}

absl::StatusOr<v1::CommitUploadResponse> Tree::Committed(const Actor& actor,
                                                         absl::string_view version_name) const {
  absl::StatusOr<kit::VersionIds> ids = kit::VersionIdsIn(version_name, "version");
  if (!ids.ok()) return ids.status();
  v1::CommitUploadResponse made;
  absl::StatusOr<v1::Node> node = Get(actor, NodeName(ids->node_id));
  if (!node.ok()) return node.status();
  absl::StatusOr<v1::Version> version = GetVersion(actor, node->name(), version_name);
  if (!version.ok()) return version.status();
  *made.mutable_node() = *std::move(node);
  *made.mutable_version() = *std::move(version);
  return made;
}

}  // namespace bitcontent::metadata
