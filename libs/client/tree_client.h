// TreeClient: the member's file tree as the client engine sees it: by path, with names,
// while the metadata service sees ids and sealed bytes (node_envelope.h). Each node's
// key is found by walking down from the root folder, whose key the master key unwraps.
//
//   client::TreeClient tree(&account);
//   tree.MakeFolder("/photos/2026");
//   for (const client::TreeEntry& entry : *tree.List("/photos")) ...
//
// Paths are '/'-separated names from the root ("/" is the root); a missing leading '/'
// means the same, and repeated slashes are one. The root folder is made on first use. A
// path whose first part is "shared:NAME" starts in the folder called NAME that another
// member shared with this one ("shared:Holiday/2026/beach.jpg"); its key comes sealed to
// this member's X25519 key.
//
// Errors name nodes as the member does: every node and version a TreeClient resolved is
// named by its path in the messages of its errors, never by its id ("nodes/01M9...").
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "bitcontent/client/v1/node_attributes.pb.h"
#include "bitcontent/metadata/v1/nodes.pb.h"
#include "bitcontent/metadata/v1/sharing.pb.h"
#include "libs/client/account_client.h"

namespace bitcontent::client {

// A node with what the client knows of it.
struct TreeEntry {
  metadata::v1::Node node = {};
  std::string key = {};
  std::string name = {};  // Empty for the root.
};

// A version of a file with what its sealed attributes say.
struct VersionEntry {
  metadata::v1::Version version = {};
  v1::VersionAttributes attributes = {};
};

// A folder another member shared with this one.
struct SharedFolder {
  TreeEntry entry = {};
  metadata::v1::Share share = {};
  std::string owner_email = {};  // who shared it
};

// How paths reach `folder` among all those shared with the member (`shared`, which
// holds it): as shared:NAME, or as shared:OWNER_EMAIL:NAME when another of them answers
// to that name too, or as shared:SHORT_ID (ShortNodeId) when that is ambiguous as well
// (one owner's two folders of one name, or a name made to look like OWNER:NAME).
std::string SharedPath(const SharedFolder& folder, const std::vector<SharedFolder>& shared);

// A node of the member's tree with its path ("/Taxes/2026").
struct LocatedEntry {
  std::string path = {};
  TreeEntry entry = {};
};
// A node the member put in the trash, with the path it had. Names repeat in the trash (a
// folder trashed, made again and trashed again): its id tells them apart.
using TrashedEntry = LocatedEntry;

// One of the member's public links, with the path of what it opens and its URL (with the
// key, unless it is a sale link); no path and no URL when what it opened was purged.
struct LinkEntry {
  metadata::v1::Link link = {};
  std::string path = {};
  std::string url = {};
  // Whether what it opens (or a folder above it) is in the trash: it opens nothing then.
  bool in_trash = false;
};

class TreeClient {
 public:
  // Most nodes one folder listing reads (pages of 1,000).
  static constexpr size_t kFolderEntriesMax = 100000;
  // Folders nest at most this deep (the metadata service's limit).
  static constexpr size_t kFolderDepthMax = 64;
  // A retention policy's bounds (the metadata service's).
  static constexpr uint32_t kVersionsKeptMax = 100;
  static constexpr uint32_t kVersionAgeDaysMax = 36500;

  // `account` must outlive this and be logged in.
  explicit TreeClient(AccountClient* account) : account_(account) {}

  // The active node at `path`; NOT_FOUND naming the first missing part.
  absl::StatusOr<TreeEntry> Resolve(absl::string_view path);

  // The children of the folder at `path`, by name; with `trashed`, those in the trash too.
  absl::StatusOr<std::vector<TreeEntry>> List(absl::string_view path, bool trashed = false);
  // The same of a folder already opened.
  absl::StatusOr<std::vector<TreeEntry>> ListFolder(const TreeEntry& folder, bool trashed);

  // Makes the folder at `path` in its (existing) parent.
  absl::StatusOr<TreeEntry> MakeFolder(absl::string_view path);
  // The same in `parent`, already resolved: the folder `path` names is its child.
  absl::StatusOr<TreeEntry> MakeFolderIn(const TreeEntry& parent, absl::string_view path);
  // Makes the folder `name` in `parent` (a folder), named `path` in messages;
  // ALREADY_EXISTS when something of that name is there.
  absl::StatusOr<TreeEntry> MakeFolderAt(const TreeEntry& parent, absl::string_view name,
                                         absl::string_view path);
  // The folder at `path`: made in its (existing) parent, or the one already there;
  // `made`, when not null, says which. FAILED_PRECONDITION when a file is there.
  absl::StatusOr<TreeEntry> EnsureFolder(absl::string_view path, bool* made = nullptr);
  // Makes the folder at `path` and any folder above it that is missing (mkdir -p); a
  // folder already there is fine, a file in the way is FAILED_PRECONDITION. `made`, when
  // not null, counts the folders it made.
  absl::StatusOr<TreeEntry> MakeFolders(absl::string_view path, int* made = nullptr);

  // Moves or renames the node at `path` as `mv` does: when `destination` is a folder, into
  // it under the same name; when nothing is there but its parent is a folder, there
  // under the destination's last part (a rename when the parent is the same). An existing
  // file there is not replaced: ALREADY_EXISTS. Returns the node's new path.
  absl::StatusOr<std::string> Move(absl::string_view path, absl::string_view destination);

  // Where a node goes (Move, CopyLinked, Restore): the folder, its name there and the
  // path that makes.
  struct Destination {
    TreeEntry folder = {};
    std::string name = {};
    std::string path = {};
  };
  // `destination` read as `mv` reads it for a node called `name`: when it is a folder,
  // into it under that name; when nothing is there but its parent is a folder, there
  // under the destination's last part. An existing file there: ALREADY_EXISTS.
  absl::StatusOr<Destination> ResolveDestination(absl::string_view destination,
                                                 absl::string_view name);
  // Copies `linked`, a file a public link `link` ("links/{link}") opens, into the member's
  // tree at `to`: a new file of theirs that shares the linked file's bytes (none move),
  // counted against their quota.
  absl::StatusOr<TreeEntry> CopyLinked(const TreeEntry& linked, absl::string_view link,
                                       const Destination& to);

  // A public link to the node at `path`, as a URL carrying its key in the fragment;
  // it expires after `lifetime` unless that is zero. A priced file gets a sale link,
  // without the fragment: buyers get its key from pricing once they have paid.
  absl::StatusOr<std::string> CreateLink(absl::string_view path, absl::Duration lifetime);
  // Stops the link `link`: its URL (with its key or without), or "links/{link}";
  // INVALID_ARGUMENT for anything else.
  absl::Status RevokeLink(absl::string_view link);
  // Most links Links lists (pages of 100).
  static constexpr size_t kLinksListedMax = 10000;
  // The member's links, oldest first; with `inactive`, the expired and revoked too.
  absl::StatusOr<std::vector<LinkEntry>> Links(bool inactive);
  // The path in the member's tree of the node named `node_name` ("nodes/ID"), folders
  // ending in "/"; NOT_FOUND when it was purged or is not the member's.
  absl::StatusOr<std::string> PathOf(absl::string_view node_name);

  // Shares the folder at `path` (the member's own) with the member whose email is
  // `email`, to read, or also to add to it when `writer`; sharing again changes the role.
  absl::Status Share(absl::string_view path, absl::string_view email, bool writer);
  // Ends the share of the folder at `path` with `email`.
  absl::Status Unshare(absl::string_view path, absl::string_view email);
  // Leaves the folder at `path` that another member shares with `user_name` (the
  // caller, "users/{id}"): it is no longer theirs to see. Their own folder is refused.
  absl::Status Leave(absl::string_view path, absl::string_view user_name);
  // Whom the folder at `path` (the member's own) is shared with, in the order shared.
  absl::StatusOr<std::vector<metadata::v1::Share>> Shares(absl::string_view path);
  // The kept versions of the file at `path`, newest first, with what their sealed
  // attributes say (plaintext size, modification time).
  absl::StatusOr<std::vector<VersionEntry>> Versions(absl::string_view path);

  // Makes the kept version `version_id` (as `Versions` names it) the current one of the
  // file at `path` again; ABORTED when the file changed since it was resolved.
  // INVALID_ARGUMENT, before any call, when `version_id` is not a version id.
  absl::Status RestoreVersion(absl::string_view path, absl::string_view version_id);

  // Deletes the kept version `version_id` of the file at `path` (not the current one);
  // the bytes given back to the quota.
  absl::StatusOr<uint64_t> DeleteVersion(absl::string_view path, absl::string_view version_id);

  // How many versions of each file this member keeps, and for how long.
  absl::StatusOr<metadata::v1::RetentionPolicy> RetentionPolicy();
  // Keeps at most `max_versions` versions of each file (the current one included) and,
  // unless `max_age_days` is 0, drops earlier ones older than that; versions past the
  // new policy go at once.
  absl::StatusOr<metadata::v1::RetentionPolicy> SetRetentionPolicy(uint32_t max_versions,
                                                                   uint32_t max_age_days);

  // The folders shared with this member, by name, then owner.
  absl::StatusOr<std::vector<SharedFolder>> SharedWithMe();

  // Puts the node at `path` in the trash; Restore takes it out again.
  absl::Status Trash(absl::string_view path);
  // What the member put in the trash (not what those folders hold), by path, the
  // earliest trashed first where paths repeat.
  absl::StatusOr<std::vector<TrashedEntry>> Trashed();
  // The entries in the trash `target` names: the id ShortNodeId gives (as `trash` shows
  // it), the whole node id or "nodes/{node}"; else a path, which may name several (names
  // repeat in the trash). NOT_FOUND saying why when there is none.
  absl::StatusOr<std::vector<TrashedEntry>> FindTrashed(absl::string_view target);
  // Takes `trashed` out of the trash: back where it was when `destination` is empty
  // (ALREADY_EXISTS when an active node has its name there now; FAILED_PRECONDITION when
  // its folder is not active), else to `destination`, read as Move reads it. Returns
  // the path it has again.
  absl::StatusOr<std::string> Restore(const TrashedEntry& trashed,
                                      absl::string_view destination = "");
  // Purges everything in the trash; returns the bytes given back to the quota.
  absl::StatusOr<uint64_t> EmptyTrash();
  // Deletes `trashed` for good with all it holds; returns the bytes given back to the
  // quota.
  absl::StatusOr<uint64_t> Purge(const TrashedEntry& trashed);

  // `status` with every node and version this client resolved named by its path, as the
  // member knows it, instead of by its resource name; payloads (the error's reason) kept.
  absl::Status Named(const absl::Status& status) const;

  // The member with this email: their user name and X25519 public key; NOT_FOUND saying
  // so when no active member has it.
  absl::StatusOr<accounts::v1::LookupUserPublicKeyResponse> LookupMember(absl::string_view email);

 private:
  // Shares of `folder` (resolved from `path`, named so in messages), as Shares lists them.
  absl::StatusOr<std::vector<metadata::v1::Share>> SharesOf(const TreeEntry& folder,
                                                            absl::string_view path);
  absl::StatusOr<TreeEntry> Root();
  // Where `parts` starts: the root, or the shared folder its first part ("shared:NAME")
  // names; `first` is the index of the part after it.
  absl::StatusOr<TreeEntry> Start(const std::vector<std::string>& parts, size_t* first);
  // The child of `folder` called `parts[index]` (`folder` is the path of the parts
  // before it); NOT_FOUND naming it when there is none.
  absl::StatusOr<TreeEntry> Child(const TreeEntry& folder, const std::vector<std::string>& parts,
                                  size_t index);
  // Makes the folder `parts[index]` in `parent` (the path of the parts before it);
  // ALREADY_EXISTS naming it when something of that name is there.
  absl::StatusOr<TreeEntry> MakeIn(const TreeEntry& parent, const std::vector<std::string>& parts,
                                   size_t index);
  // `node` of the member's tree opened (its key and name) with the path to it from
  // `root`, asking metadata for each folder above it.
  absl::StatusOr<LocatedEntry> Locate(const TreeEntry& root, metadata::v1::Node node);
  // The node named `node_name` ("nodes/ID") under `root`, as Locate finds it; the root
  // itself is "/". NOT_FOUND when it was purged or is not in the member's own tree.
  absl::StatusOr<LocatedEntry> LocateNode(const TreeEntry& root, absl::string_view node_name);
  // Remembers that `resource` ("nodes/ID", "nodes/ID/versions/V") is `shown` to the member.
  void Remember(const std::string& resource, std::string shown);
  // A call as the member, its error Named.
  absl::Status Call(absl::string_view method, absl::string_view target,
                    const google::protobuf::Message* request, google::protobuf::Message* response);
  // The REST path of version `version_id` of the file at `path`, which fills `file`.
  absl::StatusOr<std::string> VersionPath(absl::string_view path, absl::string_view version_id,
                                          metadata::v1::Node* file);

  AccountClient* const account_;
  // What Named replaces: resource names and how the member knows them.
  std::vector<std::pair<std::string, std::string>> shown_;
};

// The id `trash` shows for `node`, which `restore` and `purge` take: the last
// kShortNodeIdLength characters of its id (40 random bits). Node ids begin with their
// creation time, so their ends tell nodes made close together apart.
inline constexpr size_t kShortNodeIdLength = 8;
std::string ShortNodeId(const metadata::v1::Node& node);

// Opens `node`, a child of `parent`, with the parent's key: DATA_LOSS when it does not
// open.
absl::StatusOr<TreeEntry> OpenChild(const TreeEntry& parent, metadata::v1::Node node);

// One page of a folder's children: given the page token, fills the nodes and the next
// page's token (empty after the last).
using ChildPageSource = std::function<absl::Status(const std::string& page_token,
                                                   std::vector<metadata::v1::Node>* nodes,
                                                   std::string* next_page_token)>;

// The children of `folder` from `pages`, each opened with the folder's key, sorted by
// name; at most TreeClient::kFolderEntriesMax. Members' folders and linked ones alike.
absl::StatusOr<std::vector<TreeEntry>> OpenChildren(const TreeEntry& folder,
                                                    const ChildPageSource& pages);

// "/a/b/" -> {"a", "b"}; "/" -> {}.
std::vector<std::string> SplitTreePath(absl::string_view path);

// Whether `path` starts in a folder shared with the member ("shared:NAME/...").
bool InSharedFolder(absl::string_view path);
// `name` in the folder at `folder`: ("/a", "b") and ("/a/", "b") -> "/a/b"; ("/", "b") -> "/b".
std::string ChildPath(absl::string_view folder, absl::string_view name);
// A tree path as messages show it: "/a/b", or "shared:F/a" in a folder shared with
// the member (no trailing slash, no repeated slashes), control characters escaped as
// PrintableName does.
std::string DisplayPath(absl::string_view path);

// `status` with `node_name` ("nodes/ID") in its message replaced by `path`, the way the
// member named the node; payloads (the error's reason) kept.
absl::Status NamedByPath(const absl::Status& status, absl::string_view node_name,
                         absl::string_view path);

}  // namespace bitcontent::client
