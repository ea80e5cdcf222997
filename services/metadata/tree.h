// Tree: each member's file tree of folders and files, as the metadata service keeps it.
// The server sees structure only: ids, parents, revisions, times and opaque bytes (the
// encrypted attributes, the wrapped keys and the name HMACs that let it refuse two
// equal names in one folder without reading them). See nodes.proto for the model.
//
// Every change checks and writes under the owner's lock, in one synced batch with the
// change-log entry it causes. A node in the trash keeps its place; its contents stay as
// they are, and count as trashed while an ancestor is (Get reports the state a member
// would see). Owners reach their nodes; members a folder is shared with reach it and
// what it holds, to read (READER) or also to add folders and files (WRITER); anyone
// else gets NOT_FOUND, which does not say whether the node exists. Changes to a tree
// lock its owner, whoever makes them. Renaming, moving and trashing a node are for its
// owner and for the members a folder holding it is shared with to write (not the shared
// folder itself); restoring and purging it, and deleting a file's versions, are its
// owner's alone (PERMISSION_DENIED for the members it is shared with). What a writer
// trashes goes to the owner's trash. A node never leaves its owner's tree: a move or
// restore into another member's folder is refused. While the owner has a shared folder
// in the trash, its members cannot reach it nor anything in it (NOT_FOUND, saying so)
// until it is restored. Purging and the trash listing are in tree_purge.cc, files and
// their versions in tree_files.cc, the retention of versions in tree_retention.cc, what
// other services ask (lookups, roles, the price flag) in tree_internal.cc. Every version
// made or dropped is staged for the blob service's reference count (blob_references.h)
// in the batch that makes or drops it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/kit/striped_locks.h"
#include "services/metadata/blob_references.h"
#include "services/metadata/change_log.h"
#include "services/metadata/member_states.h"
#include "services/metadata/metadata_db.h"

namespace bitcontent::metadata {

// Who makes a request: the member and the device (echoed in change-log entries).
struct Actor {
  std::string user_id = {};
  std::string device_id = {};
};

// What a new version did: the file and version as the member sees them, and the bytes
// of older versions the retention rule dropped (given back to the owner's quota).
struct VersionAdded {
  v1::CommitUploadResponse made = {};
  uint64_t freed_bytes = 0;
};

// ABORTED (REVISION_MISMATCH) unless `expected` is 0 (no check) or the node's revision.
absl::Status RequireRevision(const v1::Node& node, uint64_t expected);

// What deleting a version freed, and whose quota it was counted in.
struct VersionDeleted {
  uint64_t freed_bytes = 0;
  std::string owner = {};
};

// What the retention rule dropped from one member's files: the bytes to give back to
// their quota, per version (so each is given back once).
struct VersionsExpired {
  std::string owner = {};                                    // "users/{user}"
  std::vector<std::pair<std::string, uint64_t>> freed = {};  // version name, bytes
};

// The operator's retention, for members who set none (--versions_kept,
// --version_max_age_days).
struct RetentionDefaults {
  uint32_t max_versions = 10;
  uint32_t max_age_days = 0;
};

// The access a share with `role` gives its recipient.
v1::AccessRole AccessRoleOf(v1::ShareRole role);

struct ChildPage {
  std::vector<v1::Node> nodes = {};
  std::string next_page_token = {};
  uint64_t change_sequence = 0;
};

class Tree {
 public:
  // Folders nest at most this deep below a root.
  static constexpr int kDepthMax = 64;
  static constexpr int32_t kPageSizeMax = 1000;
  static constexpr int32_t kPageSizeDefault = 200;
  // Children read for one page at most; a page may hold fewer nodes than asked when
  // many children are in the trash (next_page_token says where to go on).
  static constexpr size_t kScannedPerPageMax = 5000;
  static constexpr size_t kWrappedKeyBytes = 72;
  static constexpr size_t kNameHmacBytes = 32;
  static constexpr size_t kEncryptedAttributesBytesMax = 4096;
  static constexpr size_t kRequestIdBytesMax = 128;
  static constexpr size_t kPurgeNodesMax = 10000;
  // Versions kept per file, head included (RetentionPolicy.max_versions bounds).
  static constexpr uint32_t kVersionsKeptMax = 100;
  // Longest RetentionPolicy.max_age_days: a hundred years.
  static constexpr uint32_t kVersionAgeDaysMax = 36500;

  explicit Tree(const MetadataDb& db, RetentionDefaults retention = {})
      : db_(db), retention_(retention), blob_references_(db), log_writer_(db) {}

  // What the blob service has yet to hear about versions made and dropped.
  BlobReferences& blob_references() { return blob_references_; }

  // Asks `owners` (which must outlive this) whether a shared node's owner is active: a
  // disabled member's shares give nothing until they are enabled again, as their links
  // open nothing. Not set (tests of the tree alone), every owner counts as active.
  void CheckOwnersWith(const MemberStates* owners) { owners_ = owners; }

  // Commits `batch` (synced) with `changes` in their members' logs: the one way a
  // change reaches a log (shares add theirs through it too).
  absl::Status CommitChanges(store::WriteBatch* batch, std::vector<ChangeFor> changes) const;

  // The member's root folder; made once (ALREADY_EXISTS after, unless the request id
  // repeats the one that made it, which returns it again).
  absl::StatusOr<v1::Node> CreateRoot(const Actor& actor, const v1::CreateRootNodeRequest& request,
                                      absl::Time now);
  // NOT_FOUND until CreateRoot.
  absl::StatusOr<v1::Node> GetRoot(const Actor& actor) const;

  // A folder under `request.parent`; ALREADY_EXISTS (NAME_CONFLICT) when an active
  // sibling has the same name HMAC. A repeated request id returns the folder it made.
  absl::StatusOr<v1::Node> CreateFolder(const Actor& actor, const v1::CreateFolderRequest& request,
                                        absl::Time now);

  absl::StatusOr<v1::Node> Get(const Actor& actor, absl::string_view name) const;

  // Children of a folder in id order (creation time, to the millisecond); trashed ones
  // only with show_trashed.
  absl::StatusOr<ChildPage> ListChildren(const Actor& actor,
                                         const v1::ListChildrenRequest& request) const;

  absl::StatusOr<v1::Node> Rename(const Actor& actor, const v1::RenameNodeRequest& request,
                                  absl::Time now);
  absl::StatusOr<v1::Node> Move(const Actor& actor, const v1::MoveNodeRequest& request,
                                absl::Time now);
  absl::StatusOr<v1::Node> Trash(const Actor& actor, const v1::TrashNodeRequest& request,
                                 absl::Time now);
  absl::StatusOr<v1::Node> Restore(const Actor& actor, const v1::RestoreNodeRequest& request,
                                   absl::Time now);

  // Removes a node in the trash for good, with everything under it, in one batch; at
  // most kPurgeNodesMax nodes at once (FAILED_PRECONDITION past that: purge its
  // folders first). FAILED_PRECONDITION for a node not in the trash itself.
  absl::StatusOr<v1::PurgeNodeResponse> Purge(const Actor& actor,
                                              const v1::PurgeNodeRequest& request, absl::Time now);

  // The nodes the member put in the trash themselves (not their contents), by id.
  absl::StatusOr<v1::ListTrashResponse> ListTrash(const Actor& actor,
                                                  const v1::ListTrashRequest& request) const;

  // A new file in the folder `parent` whose head is `version` (named here). NAME_CONFLICT
  // as for folders. Once every check has passed and the version is named, under the
  // owner's lock, `before_write` may add its own records to `batch` (the upload's),
  // which commits with the file; its failure stops the write.
  absl::StatusOr<v1::CommitUploadResponse> CreateFile(
      const Actor& actor, absl::string_view parent, const v1::NewFile& file, v1::Version version,
      store::WriteBatch* batch, absl::FunctionRef<absl::Status(const v1::Version&)> before_write,
      absl::Time now);

  // A new head version of the file `node`, which the actor may write; ABORTED
  // (REVISION_MISMATCH) when `expected_head` is set and the head is another version.
  // Versions past the retention are dropped in the same batch. `before_write` as for
  // CreateFile.
  absl::StatusOr<VersionAdded> AddVersion(
      const Actor& actor, absl::string_view node, absl::string_view expected_head,
      v1::Version version, store::WriteBatch* batch,
      absl::FunctionRef<absl::Status(const v1::Version&)> before_write, absl::Time now);

  // A copy of the file `source` (already checked readable by the caller) in the folder
  // `request.new_parent`, the actor's to write: a new node whose head version shares the
  // source's blob (no bytes move). `before_write` runs under the owner's lock once the
  // name is known free (reserves the quota), as for CreateFile.
  absl::StatusOr<v1::Node> CopyFile(const Actor& actor, const v1::Node& source,
                                    const v1::CopyNodeRequest& request,
                                    absl::FunctionRef<absl::Status(const v1::Node&)> before_write,
                                    absl::Time now);

  // The file `node`, if the actor may write it (owner, or writer of a share) and it is
  // active: what a new version needs.
  absl::StatusOr<v1::Node> WritableFile(const Actor& actor, absl::string_view node,
                                        absl::string_view field) const;

  // A file's kept versions, newest first (page size at most 100).
  absl::StatusOr<v1::ListVersionsResponse> ListVersions(
      const Actor& actor, const v1::ListVersionsRequest& request) const;

  // Makes the kept version `request.name` the file's current one again, for its owner or
  // a member it is shared with to write (a put could do as much) (ABORTED,
  // REVISION_MISMATCH, when `expected_revision` is set and the file moved on). No bytes
  // move and the quota does not change: the version is kept, and counted, already. Other
  // devices see a VERSION_ADDED change. Restoring the current version changes nothing.
  absl::StatusOr<v1::Node> RestoreVersion(const Actor& actor,
                                          const v1::RestoreVersionRequest& request, absl::Time now);

  // Deletes the kept version `request.name`, which only the file's owner may do
  // (PERMISSION_DENIED for members it is shared with: the version is lost for good), and
  // which must not be the current one
  // (FAILED_PRECONDITION: restore another first, or purge the file). Its bytes leave the
  // file's stored bytes; the caller gives them back to `owner`'s quota. Other devices
  // see a VERSION_REMOVED change.
  absl::StatusOr<VersionDeleted> DeleteVersion(const Actor& actor,
                                               const v1::DeleteVersionRequest& request,
                                               absl::Time now);

  // Version `version` ("nodes/{node}/versions/{version}") of the file `node`, or its
  // head when `version` is empty, if the actor may read the file.
  absl::StatusOr<v1::Version> GetVersion(const Actor& actor, absl::string_view node,
                                         absl::string_view version) const;

  // What a public link to `root` opens: the node `name` (or `root` itself when empty)
  // if it is `root` or inside its subtree and neither it nor a folder above it is in the
  // trash, as a reader sees it (no owner).
  // NOT_FOUND otherwise, which does not say whether it exists.
  absl::StatusOr<v1::Node> GetThroughLink(absl::string_view root, absl::string_view name) const;

  // The active children of `request.parent` (the link's own node `root` when empty), a
  // folder inside the subtree of `root`, shown as GetThroughLink shows nodes; paged as
  // ListChildren. NOT_FOUND outside the subtree or in the trash.
  absl::StatusOr<ChildPage> ListChildrenThroughLink(
      absl::string_view root, const v1::ListLinkChildrenRequest& request) const;

  // Version `version` of the file `file` (its head when empty), whoever asks: the
  // caller has checked access to the file.
  absl::StatusOr<v1::Version> VersionOf(const v1::Node& file, absl::string_view version) const;

  // The file and version a commit made, to answer the same commit again.
  absl::StatusOr<v1::CommitUploadResponse> Committed(const Actor& actor,
                                                     absl::string_view version) const;

  // The actor's retention policy (the operator's defaults until they set their own);
  // `name` must be "users/me/retentionPolicy" or their own.
  absl::StatusOr<v1::RetentionPolicy> GetRetentionPolicy(const Actor& actor,
                                                         absl::string_view name) const;

  // Sets the actor's retention policy (its name empty or theirs, as for
  // GetRetentionPolicy): max_versions 1 to kVersionsKeptMax, max_age_days
  // at most kVersionAgeDaysMax (0: no age limit). Call ExpireVersions next, so that
  // excess versions go at once.
  absl::StatusOr<v1::RetentionPolicy> UpdateRetentionPolicy(
      const Actor& actor, const v1::UpdateRetentionPolicyRequest& request, absl::Time now);

  // Drops, from every file of the member `user_id` (in the trash too), the versions
  // their retention policy no longer keeps as of `now`: each file in its own batch, with
  // a VERSION_REMOVED change. What a member changes meanwhile is not lost: each file is
  // read and written under the owner's lock.
  absl::StatusOr<VersionsExpired> ExpireVersions(absl::string_view user_id, absl::Time now);

  // The ids of every member with a root, from `after` (exclusive), at most `limit`: what
  // a sweep of every tree walks.
  absl::StatusOr<std::vector<std::string>> Members(absl::string_view after, size_t limit) const;

  // The active folder `name` (the request field `field`), if the actor may write into
  // it and it is at most kDepthMax - 1 deep. For uploads, which land in one.
  absl::StatusOr<v1::Node> WritableFolder(const Actor& actor, absl::string_view name,
                                          absl::string_view field) const;

  // For other services (MetadataInternalService; tree_internal.cc), which ask about any
  // member's nodes.

  // The node `name` whoever owns it, as stored (owner, head version and its creator,
  // price flag), with state TRASHED when a folder above it is, and no access role.
  // NOT_FOUND once purged.
  absl::StatusOr<v1::Node> Lookup(absl::string_view name) const;

  // The role the member `user_id` has on the node `name`: OWNER, the role of the nearest
  // share of it or of a folder above it, or UNSPECIFIED (none). NOT_FOUND when the node
  // does not exist.
  absl::StatusOr<v1::AccessRole> AccessOf(absl::string_view name, absl::string_view user_id) const;

  // Sets (or clears) the price flag of the file `name`, as pricing asks when a price is
  // set or withdrawn; the change reaches the owner's log (and those of the members it is
  // shared with) as PRICING_CHANGED. Setting it as it is changes nothing. A folder is
  // FAILED_PRECONDITION: only files are sold. Returns the node as Lookup does.
  absl::StatusOr<v1::Node> SetPriced(absl::string_view name, bool priced, absl::Time now);

 private:
  // The node `name` names, if the actor owns it or it is shared with them (through it or
  // a folder above it), with access_role set.
  absl::StatusOr<v1::Node> LoadReadable(const Actor& actor, absl::string_view name,
                                        absl::string_view field) const;
  // Why a member has no role on a node, when a share would have given one.
  enum class Unshared { kNoShare, kInOwnersTrash, kOwnerDisabled };
  // The role `user_id` has on `node` (as AccessOf says). A share whose folder, or a
  // folder above it, is in its owner's trash gives no role (a share further up may), nor
  // does any share of an owner who is disabled (CheckOwnersWith); `why` (when not null)
  // says which, so that a refusal can say so.
  absl::StatusOr<v1::AccessRole> RoleOf(const v1::Node& node, absl::string_view user_id,
                                        Unshared* why = nullptr) const;
  // LoadReadable, refusing (PERMISSION_DENIED) a node the actor may only read.
  absl::StatusOr<v1::Node> LoadWritable(const Actor& actor, absl::string_view name,
                                        absl::string_view field) const;
  // The node `name` as stored (no access role), if the actor owns it; PERMISSION_DENIED
  // saying `refusal` when it is only shared with them, NOT_FOUND as LoadReadable
  // otherwise. For what only an owner may do to a node shared with others.
  absl::StatusOr<v1::Node> LoadOwned(const Actor& actor, absl::string_view name,
                                     absl::string_view field, absl::string_view refusal) const;
  // The lock of the tree holding the node `name`: its owner's.
  absl::Mutex& LockOf(absl::string_view name) const;
  absl::StatusOr<v1::Node> LoadId(absl::string_view node_id) const;
  // Who may make a change to a node: its owner alone, or also the members a folder
  // holding it is shared with to write (not that folder itself: it is the owner's).
  enum class Changers { kOwner, kOwnerAndWriters };
  // The node `name` as stored, for a change that is `action` ("moved") which `changers`
  // may make (PERMISSION_DENIED for other members it is shared with, NOT_FOUND for anyone
  // else): not a root folder, and at `expected_revision` unless that is 0. `role`, when
  // not null, gets the actor's role on it.
  absl::StatusOr<v1::Node> LoadChangeable(const Actor& actor, absl::string_view name,
                                          absl::string_view action, uint64_t expected_revision,
                                          Changers changers = Changers::kOwner,
                                          v1::AccessRole* role = nullptr) const;
  // The ancestors of `node`, parent first, up to the root.
  absl::StatusOr<std::vector<v1::Node>> Ancestors(const v1::Node& node) const;
  // Whether anything under `folder` (a file or a folder, trashed or not) lies more than
  // `levels` levels below it. Reads only as deep as that.
  absl::StatusOr<bool> HoldsDeeperThan(const v1::Node& folder, int levels) const;
  // The node as a member sees it: state TRASHED when an ancestor is, and their role
  // (OWNER unless access_role is set already); for its owner, whether a folder is shared.
  absl::StatusOr<v1::Node> Present(v1::Node node) const;
  // Sets `node`'s shared flag when its owner sees it: a folder shared with anyone.
  absl::Status MarkShared(v1::Node* node) const;
  // Adds a new file's records to `batch`: the node, its head version, its place and name
  // in its folder.
  void PutNewFile(store::WriteBatch* batch, const v1::Node& node);
  // Adds a new version of the file `node_id` to `batch`, and the blob reference it makes.
  void PutNewVersion(store::WriteBatch* batch, absl::string_view node_id,
                     const v1::Version& version);
  // Deletes a version of the file `node_id` in `batch`, and the blob reference it made.
  void DropVersion(store::WriteBatch* batch, absl::string_view node_id, const v1::Version& version);
  // Every kept version of the file `node_id`, oldest first.
  absl::StatusOr<std::vector<v1::Version>> VersionsOf(absl::string_view node_id) const;
  // The retention policy of the member `user_id`.
  absl::StatusOr<v1::RetentionPolicy> PolicyOf(absl::string_view user_id) const;
  // When versions[index] (oldest first) stopped being the current version: its
  // replace_time, or for one kept from before that was recorded, when the next was made.
  static absl::Time ReplacedAt(const std::vector<v1::Version>& versions, size_t index);
  // Drops in `batch` the versions of `node` (as stored; its stored_bytes updated) that
  // `policy` does not keep as of `now`, from `versions` (oldest first); returns them.
  // Earlier versions are kept the owner's first (a writer's puts never push the owner's
  // out), each most recently replaced first, and aged from then.
  std::vector<v1::Version> DropExpired(store::WriteBatch* batch, v1::Node& node,
                                       const std::vector<v1::Version>& versions,
                                       const v1::RetentionPolicy& policy, absl::Time now);
  // NAME_CONFLICT when an active child of `parent_id` already has `name_hmac`.
  absl::Status RequireFreeName(absl::string_view parent_id, absl::string_view name_hmac) const;
  // Adds to `page` the children of `parent` after `page_token` (trashed ones only with
  // `show_trashed`; all of them shown trashed when `parent_trashed`), up to `page_size`
  // or kScannedPerPageMax read, setting next_page_token when there are more.
  absl::Status ScanChildren(const v1::Node& parent, bool parent_trashed,
                            absl::string_view page_token, size_t page_size, bool show_trashed,
                            ChildPage* page) const;
  // ScanChildren over the whole subtree below `parent`, parents before their children
  // (tree_subtree.cc has the walk and its page token).
  absl::Status ScanSubtree(const v1::Node& parent, bool parent_trashed,
                           absl::string_view page_token, size_t page_size, bool show_trashed,
                           ChildPage* page) const;
  // The first child id of the folder `folder_id` after `after` ("" for the first), or
  // none.
  absl::StatusOr<std::optional<std::string>> NextChildId(absl::string_view folder_id,
                                                         absl::string_view after) const;
  // Writes the file `node` (as stored) one revision on, updated `now`, with `batch`, and
  // commits it with a change of `type`: what every change to a file's versions ends with.
  absl::Status CommitFileChange(store::WriteBatch* batch, const Actor& actor, v1::ChangeType type,
                                v1::Node& node, absl::Time now);
  struct Readers {
    // The members `node` is shared with where it is (through a share of it or of a
    // folder above it), each with the highest role their shares give.
    std::map<std::string, v1::ShareRole> now;
    // Those it was shared with only above `previous_parent`, where it moved from.
    std::set<std::string> left;
  };
  absl::StatusOr<Readers> ReadersOf(const v1::Node& node, absl::string_view previous_parent) const;
  // Commits `batch` with a change of `type` for `node` in the owner's log and in the log
  // of every member it is shared with (ReadersOf), as each of them sees it; a member it
  // moved away from learns only that it left (its name and previous_parent), nothing of
  // where it went or what it now is.
  absl::Status Commit(store::WriteBatch* batch, const Actor& actor, v1::ChangeType type,
                      const v1::Node& node, absl::Time now, absl::string_view previous_parent = "");

  const MetadataDb& db_;
  const RetentionDefaults retention_;
  const MemberStates* owners_ = nullptr;
  mutable kit::StripedLocks<> locks_;
  BlobReferences blob_references_;
  mutable ChangeLogWriter log_writer_;
};

}  // namespace bitcontent::metadata
