// Tree: files and their versions. A file is made by committing an upload (uploads.cc):
// its head version names the blob holding its sealed chunks. Every version is kept in
// the versions family; the node carries its head as well, so a listing shows sizes and
// layouts without a second read.
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/metadata/field_checks.h"
#include "services/metadata/resource_names.h"
#include "services/metadata/tree.h"

namespace bitcontent::metadata {

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
  const std::string parent_id(IdOfName(parent->name()));
  if (absl::Status s = RequireFreeName(parent_id, file.name_hmac()); !s.ok()) return s;

  const std::string id = ids::NewId();
  const std::string version_id = ids::NewId();
  version.set_name(VersionName(id, version_id));
  version.set_creator(UserName(actor.user_id));
  version.set_device_id(actor.device_id);
  version.set_head(true);
  *version.mutable_create_time() = auth::ProtoFromTime(now);
  if (absl::Status s = before_write(version); !s.ok()) return s;
  v1::Node node;
  node.set_name(NodeName(id));
  node.set_parent(parent->name());
  node.set_owner(parent->owner());
  node.set_type(v1::NODE_TYPE_FILE);
  node.set_state(v1::NODE_STATE_ACTIVE);
  node.set_encrypted_attributes(file.encrypted_attributes());
  node.set_wrapped_key(file.wrapped_key());
  node.set_name_hmac(file.name_hmac());
  node.set_revision(1);
  *node.mutable_head_version() = version;
  node.set_stored_bytes(version.size_bytes());
  *node.mutable_create_time() = auth::ProtoFromTime(now);
  *node.mutable_update_time() = node.create_time();

  store::PutRecord(batch, db_.nodes, id, node);
  store::PutRecord(batch, db_.versions, store::JoinKey(id, version_id), version);
  batch->Put(db_.children, store::KeyView(store::JoinKey(parent_id, id)), "");
  batch->Put(db_.names, store::KeyView(store::JoinKey(parent_id, file.name_hmac())), id);
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
  absl::StatusOr<VersionIds> ids = VersionIdsIn(version_name, "version");
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
  absl::StatusOr<std::string> id = IdIn(wanted, "nodes", "node");
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
  node->clear_owner();
  node->set_access_role(v1::ACCESS_ROLE_READER);
  return node;
}

absl::StatusOr<v1::CommitUploadResponse> Tree::Committed(const Actor& actor,
                                                         absl::string_view version_name) const {
  absl::StatusOr<VersionIds> ids = VersionIdsIn(version_name, "version");
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
