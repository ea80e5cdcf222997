#include "libs/client/tree_client.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/auth/proto_time.h"
#include "libs/client/link_url.h"
#include "libs/client/node_envelope.h"
#include "libs/crypto/sealed_box.h"
#include "libs/ids/ids.h"

namespace bitcontent::client {
namespace {

namespace md = metadata::v1;

// The first part of a path that starts in a folder shared with this member.
constexpr absl::string_view kSharedPrefix = "shared:";

std::string NodePath(const md::Node& node, absl::string_view verb = "") {
  return absl::StrCat("/v1/", node.name(), verb);
}

// The path of the first `count` parts, as the tree reads it.
std::string Joined(const std::vector<std::string>& parts, size_t count) {
  const std::string joined = absl::StrJoin(parts.begin(), parts.begin() + count, "/");
  // A path in a folder shared with the member starts at its "shared:" name, not at "/".
  if (count > 0 && absl::StartsWith(parts[0], kSharedPrefix)) return joined;
  return absl::StrCat("/", joined);
}

// The same path as messages show it.
std::string Shown(const std::vector<std::string>& parts, size_t count) {
  return PrintableName(Joined(parts, count));
}

// The path of `located` as listings show it: a folder's ends in "/".
std::string ShownPath(const LocatedEntry& located) {
  if (located.path == "/" || located.entry.node.type() != md::NODE_TYPE_FOLDER) {
    return located.path;
  }
  return located.path + "/";
}

// A node id as members may type it: in lower case, or as "nodes/{id}".
std::string TypedId(absl::string_view typed) {
  absl::ConsumePrefix(&typed, "nodes/");
  return absl::AsciiStrToUpper(typed);
}

}  // namespace

std::string DisplayPath(absl::string_view path) {
  const std::vector<std::string> parts = SplitTreePath(path);
  return Shown(parts, parts.size());
}

std::string ShortNodeId(const md::Node& node) {
  const absl::string_view id = absl::StripPrefix(node.name(), "nodes/");
  return std::string(
      id.substr(id.size() > kShortNodeIdLength ? id.size() - kShortNodeIdLength : 0));
}

std::vector<std::string> SplitTreePath(absl::string_view path) {
  return absl::StrSplit(path, '/', absl::SkipEmpty());
}

std::string ChildPath(absl::string_view folder, absl::string_view name) {
  return absl::StrCat(folder, absl::EndsWith(folder, "/") ? "" : "/", name);
}

absl::StatusOr<TreeEntry> TreeClient::Root() {
  absl::StatusOr<std::string> master_key = account_->MasterKey();
  if (!master_key.ok()) return master_key.status();
  md::Node root;
  absl::Status fetched = account_->CallAsMember("GET", "/v1/users/me/rootNode", nullptr, &root);
  if (absl::IsNotFound(fetched)) {
    const SealedNode sealed = SealRoot(*master_key, absl::Now());
    md::CreateRootNodeRequest request;
    request.set_wrapped_key(sealed.wrapped_key);
    request.set_encrypted_attributes(sealed.encrypted_attributes);
    fetched = account_->CallAsMember("POST", "/v1/nodes:createRoot", &request, &root);
    // Another device made it meanwhile: use that one.
    if (fetched.code() == absl::StatusCode::kAlreadyExists) {
      fetched = account_->CallAsMember("GET", "/v1/users/me/rootNode", nullptr, &root);
    }
  }
  if (!fetched.ok()) return fetched;
  absl::StatusOr<OpenedNode> opened =
      OpenNode(*master_key, root.wrapped_key(), root.encrypted_attributes());
  if (!opened.ok()) {
    return absl::DataLossError(
        absl::StrCat("your root folder does not open with your key: ", opened.status().message()));
  }
  Remember(root.name(), "/");
  return TreeEntry{std::move(root), std::move(opened->key), ""};
}

absl::StatusOr<TreeEntry> OpenChild(const TreeEntry& parent, md::Node node) {
  absl::StatusOr<OpenedNode> opened =
      OpenNode(parent.key, node.wrapped_key(), node.encrypted_attributes());
  if (!opened.ok()) {
    return absl::DataLossError(absl::StrCat(
        node.name(), " does not open with its folder's key: ", opened.status().message()));
  }
  std::string name = opened->attributes.name();
  return TreeEntry{std::move(node), std::move(opened->key), std::move(name)};
}

absl::StatusOr<std::vector<TreeEntry>> TreeClient::List(absl::string_view path, bool trashed) {
  absl::StatusOr<TreeEntry> folder = Resolve(path);
  if (!folder.ok()) return folder.status();
  if (folder->node.type() != md::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(
        absl::StrCat(DisplayPath(path), " is a file, not a folder"));
  }
  return ListFolder(*folder, trashed);
}

absl::StatusOr<std::vector<TreeEntry>> TreeClient::ListFolder(const TreeEntry& folder,
                                                              bool trashed) {
  return OpenChildren(folder, [&](const std::string& page_token, std::vector<md::Node>* nodes,
                                  std::string* next_page_token) {
    md::ListChildrenResponse page;
    const std::string target =
        absl::StrCat(NodePath(folder.node, "/children"),
                     "?pageSize=1000&showTrashed=", trashed ? "true" : "false",
                     page_token.empty() ? "" : "&pageToken=", page_token);
    if (absl::Status s = Call("GET", target, nullptr, &page); !s.ok()) return s;
    nodes->assign(std::make_move_iterator(page.mutable_nodes()->begin()),
                  std::make_move_iterator(page.mutable_nodes()->end()));
    *next_page_token = std::move(*page.mutable_next_page_token());
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<TreeEntry>> OpenChildren(const TreeEntry& folder,
                                                    const ChildPageSource& pages) {
  if (folder.node.type() != md::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(absl::StrCat(folder.name, " is a file, not a folder"));
  }
  std::vector<TreeEntry> entries;
  std::string page_token;
  do {
    std::vector<md::Node> nodes;
    std::string next_page_token;
    if (absl::Status s = pages(page_token, &nodes, &next_page_token); !s.ok()) return s;
    for (md::Node& node : nodes) {
      absl::StatusOr<TreeEntry> entry = OpenChild(folder, std::move(node));
      if (!entry.ok()) return entry.status();
      entries.push_back(*std::move(entry));
    }
    if (entries.size() > TreeClient::kFolderEntriesMax) {
      return absl::ResourceExhaustedError(
          absl::StrCat("a folder holds more than ", TreeClient::kFolderEntriesMax, " entries"));
    }
    page_token = std::move(next_page_token);
  } while (!page_token.empty());
  std::sort(entries.begin(), entries.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.name < b.name; });
  return entries;
}

namespace {

// Every folder shared with the member that `text` (what follows shared: in a path) may
// mean: the one of that name, the one OWNER_EMAIL:NAME names (split at any colon, as
// names may hold colons), and the one whose short id it is. More than one is ambiguous:
// a name of one member's must never pass for another's folder.
std::vector<size_t> SharedCandidates(absl::string_view text,
                                     const std::vector<SharedFolder>& shared) {
  std::vector<size_t> found;
  for (size_t i = 0; i < shared.size(); ++i) {
    const SharedFolder& folder = shared[i];
    const auto add = [&] {
      if (found.empty() || found.back() != i) found.push_back(i);
    };
    if (folder.entry.name == text || absl::EqualsIgnoreCase(ShortNodeId(folder.entry.node), text)) {
      add();
    }
    for (size_t colon = text.find(':'); colon != absl::string_view::npos;
         colon = text.find(':', colon + 1)) {
      if (folder.entry.name == text.substr(colon + 1) &&
          absl::EqualsIgnoreCase(folder.owner_email, text.substr(0, colon))) {
        add();
      }
    }
  }
  return found;
}

// The folder that `name` reaches among `shared`; refused, saying how to pick one, when
// it may mean several.
absl::StatusOr<SharedFolder*> FindShared(absl::string_view name,
                                         std::vector<SharedFolder>* shared) {
  const std::vector<size_t> found = SharedCandidates(name, *shared);
  if (found.size() == 1) return &(*shared)[found[0]];
  if (found.empty()) {
    return absl::NotFoundError(absl::StrCat("nothing called ", PrintableName(name),
                                            " is shared with you; `bitcontent shared` lists "
                                            "what is"));
  }
  std::vector<std::string> paths;
  for (const size_t i : found) {
    paths.push_back(absl::StrCat(PrintableName(SharedPath((*shared)[i], *shared)), " (from ",
                                 PrintableName((*shared)[i].owner_email), ")"));
  }
  return absl::FailedPreconditionError(
      absl::StrCat(found.size(), " folders shared with you answer to ", PrintableName(name),
                   "; say which: ", absl::StrJoin(paths, " or ")));
}

}  // namespace

bool InSharedFolder(absl::string_view path) {
  const std::vector<std::string> parts = SplitTreePath(path);
  return !parts.empty() && absl::StartsWith(parts[0], kSharedPrefix);
}

absl::StatusOr<TreeEntry> TreeClient::Start(const std::vector<std::string>& parts, size_t* first) {
  *first = 0;
  if (parts.empty() || !absl::StartsWith(parts[0], kSharedPrefix)) return Root();
  const absl::string_view name = absl::string_view(parts[0]).substr(kSharedPrefix.size());
  if (name.empty()) {
    return absl::InvalidArgumentError(
        "shared: needs the name of a folder shared with you, as in shared:NAME/...; "
        "`bitcontent shared` lists them");
  }
  absl::StatusOr<std::vector<SharedFolder>> shared = SharedWithMe();
  if (!shared.ok()) return shared.status();
  absl::StatusOr<SharedFolder*> found = FindShared(name, &*shared);
  if (!found.ok()) return found.status();
  Remember((*found)->entry.node.name(), Shown(parts, 1));
  *first = 1;
  return std::move((*found)->entry);
}

absl::StatusOr<TreeEntry> TreeClient::Child(const TreeEntry& folder,
                                            const std::vector<std::string>& parts, size_t index) {
  if (folder.node.type() != md::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(
        absl::StrCat(Shown(parts, index), " is a file, not a folder"));
  }
  absl::StatusOr<std::vector<TreeEntry>> children = ListFolder(folder, /*trashed=*/false);
  if (!children.ok()) return children.status();
  const auto found = std::find_if(children->begin(), children->end(), [&](const TreeEntry& entry) {
    return entry.name == parts[index];
  });
  if (found == children->end()) {
    return absl::NotFoundError(absl::StrCat("no ", Shown(parts, index + 1)));
  }
  Remember(found->node.name(), Shown(parts, index + 1));
  return std::move(*found);
}

absl::StatusOr<TreeEntry> TreeClient::Resolve(absl::string_view path) {
  const std::vector<std::string> parts = SplitTreePath(path);
  size_t first = 0;
  absl::StatusOr<TreeEntry> here = Start(parts, &first);
  for (size_t i = first; i < parts.size() && here.ok(); ++i) here = Child(*here, parts, i);
  // "/notes.txt/" names a folder, as it does to a shell: a file there is not what was meant.
  if (here.ok() && here->node.type() != md::NODE_TYPE_FOLDER && !parts.empty() &&
      absl::EndsWith(path, "/")) {
    return absl::FailedPreconditionError(absl::StrCat(
        Shown(parts, parts.size()), " is a file, not a folder (name it without the last /)"));
  }
  return here;
}

absl::StatusOr<TreeEntry> TreeClient::MakeIn(const TreeEntry& parent,
                                             const std::vector<std::string>& parts, size_t index) {
  if (parent.node.type() != md::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(
        absl::StrCat(Shown(parts, index), " is a file, not a folder"));
  }
  return MakeFolderAt(parent, parts[index], Shown(parts, index + 1));
}

absl::StatusOr<TreeEntry> TreeClient::MakeFolderAt(const TreeEntry& parent, absl::string_view name,
                                                   absl::string_view path) {
  absl::StatusOr<SealedNode> sealed = SealChild(parent.key, name, absl::Now());
  if (!sealed.ok()) return sealed.status();
  md::CreateFolderRequest request;
  request.set_parent(parent.node.name());
  request.set_wrapped_key(sealed->wrapped_key);
  request.set_name_hmac(sealed->name_hmac);
  request.set_encrypted_attributes(sealed->encrypted_attributes);
  request.set_request_id(ids::NewRandomId());
  md::Node made;
  absl::Status status = Call("POST", "/v1/nodes:createFolder", &request, &made);
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(absl::StrCat(path, " already exists"));
  }
  if (!status.ok()) return status;
  Remember(made.name(), std::string(path));
  return TreeEntry{std::move(made), std::move(sealed->key), std::string(name)};
}

absl::StatusOr<TreeEntry> TreeClient::MakeFolder(absl::string_view path) {
  const std::vector<std::string> parts = SplitTreePath(path);
  if (parts.empty()) return absl::AlreadyExistsError("/ is your root folder; it always exists");
  absl::StatusOr<TreeEntry> parent = Resolve(Joined(parts, parts.size() - 1));
  if (!parent.ok()) return parent.status();
  return MakeIn(*parent, parts, parts.size() - 1);
}

absl::StatusOr<TreeEntry> TreeClient::MakeFolderIn(const TreeEntry& parent,
                                                   absl::string_view path) {
  const std::vector<std::string> parts = SplitTreePath(path);
  if (parts.empty()) return absl::AlreadyExistsError("/ is your root folder; it always exists");
  return MakeIn(parent, parts, parts.size() - 1);
}

absl::StatusOr<TreeEntry> TreeClient::EnsureFolder(absl::string_view path, bool* made) {
  absl::StatusOr<TreeEntry> folder = MakeFolder(path);
  if (made != nullptr) *made = folder.ok();
  if (!absl::IsAlreadyExists(folder.status())) return folder;
  folder = Resolve(path);
  if (folder.ok() && folder->node.type() != md::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(
        absl::StrCat(DisplayPath(path), " is a file, not a folder"));
  }
  return folder;
}

absl::StatusOr<TreeEntry> TreeClient::MakeFolders(absl::string_view path, int* made) {
  // One walk down: each folder is listed once, and below the first folder made nothing
  // is there to list, so a path of depth d costs at most d listings and d creations.
  const std::vector<std::string> parts = SplitTreePath(path);
  size_t first = 0;
  absl::StatusOr<TreeEntry> folder = Start(parts, &first);
  if (!folder.ok()) return folder;
  // Every name checked before the first folder is made: a bad one further down must not
  // leave the folders above it made.
  for (size_t i = first; i < parts.size(); ++i) {
    if (absl::Status valid = ValidateNodeName(parts[i]); !valid.ok()) return valid;
  }
  bool making = false;
  for (size_t i = first; folder.ok() && i < parts.size(); ++i) {
    absl::StatusOr<TreeEntry> child =
        making ? absl::StatusOr<TreeEntry>(absl::NotFoundError("")) : Child(*folder, parts, i);
    if (absl::IsNotFound(child.status())) {
      child = MakeIn(*folder, parts, i);
      making = child.ok();
      if (making && made != nullptr) ++*made;
      // Another device made it meanwhile: that one will do.
      if (absl::IsAlreadyExists(child.status())) child = Child(*folder, parts, i);
    }
    if (child.ok() && child->node.type() != md::NODE_TYPE_FOLDER && i + 1 == parts.size()) {
      return absl::FailedPreconditionError(
          absl::StrCat(Shown(parts, i + 1), " is a file, not a folder"));
    }
    folder = std::move(child);
  }
  return folder;
}

absl::StatusOr<TreeClient::Destination> TreeClient::ResolveDestination(
    absl::string_view destination, absl::string_view name) {
  const std::vector<std::string> parts = SplitTreePath(destination);
  absl::StatusOr<TreeEntry> there = Resolve(destination);
  if (there.ok()) {
    if (there->node.type() != md::NODE_TYPE_FOLDER) {
      return absl::AlreadyExistsError(
          absl::StrCat(Shown(parts, parts.size()), " already exists and is not replaced"));
    }
    const std::string folder = Shown(parts, parts.size());
    return Destination{*std::move(there), std::string(name),
                       ChildPath(folder, PrintableName(name))};
  }
  // Nothing there: a new name in its parent folder, unless the path says a folder
  // ("/new/") or its parent is not there either.
  if (!absl::IsNotFound(there.status()) || absl::EndsWith(destination, "/")) {
    return there.status();
  }
  absl::StatusOr<TreeEntry> parent = Resolve(Joined(parts, parts.size() - 1));
  if (!parent.ok()) return parent.status();
  if (parent->node.type() != md::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(
        absl::StrCat(Shown(parts, parts.size() - 1), " is a file, not a folder"));
  }
  if (absl::Status valid = ValidateNodeName(parts.back()); !valid.ok()) return valid;
  return Destination{*std::move(parent), parts.back(), Shown(parts, parts.size())};
}

absl::StatusOr<std::string> TreeClient::Move(absl::string_view path,
                                             absl::string_view destination) {
  absl::StatusOr<TreeEntry> moving = Resolve(path);
  if (!moving.ok()) return moving.status();
  if (moving->name.empty()) return absl::InvalidArgumentError("the root folder cannot move");
  absl::StatusOr<Destination> to = ResolveDestination(destination, moving->name);
  const std::string from = DisplayPath(path);
  if (absl::IsAlreadyExists(to.status())) {
    // `mv a.txt a.txt`: the file in the way is the one moving.
    absl::StatusOr<TreeEntry> there = Resolve(destination);
    if (there.ok() && there->node.name() == moving->node.name()) {
      return absl::InvalidArgumentError(
          absl::StrCat(from, " is already ", DisplayPath(destination)));
    }
  }
  if (!to.ok()) return to.status();
  const bool same_folder = to->folder.node.name() == moving->node.parent();
  if (same_folder && to->name == moving->name) {
    return absl::InvalidArgumentError(absl::StrCat(from, " is already ", to->path));
  }
  std::string attributes;
  if (to->name != moving->name) {
    absl::StatusOr<std::string> renamed =
        RenamedAttributes(moving->key, moving->node.encrypted_attributes(), to->name);
    if (!renamed.ok()) return renamed.status();
    attributes = *std::move(renamed);
  }
  absl::Status status;
  md::Node moved;
  if (same_folder) {
    md::RenameNodeRequest request;
    request.set_encrypted_attributes(attributes);
    request.set_name_hmac(NameHmac(to->folder.key, to->name));
    request.set_expected_revision(moving->node.revision());
    status = Call("POST", NodePath(moving->node, ":rename"), &request, &moved);
  } else {
    md::MoveNodeRequest request;
    request.set_new_parent(to->folder.node.name());
    request.set_wrapped_key(WrapNodeKey(to->folder.key, moving->key));
    request.set_name_hmac(NameHmac(to->folder.key, to->name));
    request.set_encrypted_attributes(attributes);
    request.set_expected_revision(moving->node.revision());
    status = Call("POST", NodePath(moving->node, ":move"), &request, &moved);
  }
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat(to->path, " already exists and is not replaced"));
  }
  if (!status.ok()) return status;
  return to->path;
}

absl::StatusOr<TreeEntry> TreeClient::CopyLinked(const TreeEntry& linked, absl::string_view link,
                                                 const Destination& to) {
  md::CopyNodeRequest request;
  if (to.name != linked.name) {
    absl::StatusOr<std::string> renamed =
        RenamedAttributes(linked.key, linked.node.encrypted_attributes(), to.name);
    if (!renamed.ok()) return renamed.status();
    request.set_encrypted_attributes(*std::move(renamed));
  }
  request.set_source(linked.node.name());
  request.set_link(std::string(link));
  request.set_new_parent(to.folder.node.name());
  request.set_wrapped_key(WrapNodeKey(to.folder.key, linked.key));
  request.set_name_hmac(NameHmac(to.folder.key, to.name));
  request.set_request_id(ids::NewRandomId());
  md::Node copy;
  absl::Status status = Call("POST", "/v1/nodes:copy", &request, &copy);
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat(to.path, " already exists and is not replaced"));
  }
  if (!status.ok()) return status;
  return TreeEntry{std::move(copy), linked.key, to.name};
}

absl::StatusOr<std::string> TreeClient::CreateLink(absl::string_view path,
                                                   absl::Duration lifetime) {
  absl::StatusOr<TreeEntry> node = Resolve(path);
  if (!node.ok()) return node.status();
  md::CreateLinkRequest request;
  request.set_node(node->node.name());
  if (lifetime > absl::ZeroDuration()) {
    *request.mutable_expire_time() = auth::ProtoFromTime(absl::Now() + lifetime);
  }
  request.set_request_id(ids::NewRandomId());
  md::Link link;
  if (absl::Status s = Call("POST", "/v1/links", &request, &link); !s.ok()) return s;
  // A priced file's link is a sale link: its key never travels in it (buyers get it
  // from pricing once they have paid).
  return FormatLinkUrl({.server = account_->options().server,
                        .link = link.name(),
                        .key = node->node.priced() ? std::string() : node->key});
}

absl::Status TreeClient::RevokeLink(absl::string_view link) {
  absl::StatusOr<std::string> name = LinkNameOf(link);
  if (!name.ok()) return name.status();
  md::RevokeLinkRequest request;
  return Call("POST", absl::StrCat("/v1/", *name, ":revoke"), &request, nullptr);
}

absl::StatusOr<std::vector<VersionEntry>> TreeClient::Versions(absl::string_view path) {
  absl::StatusOr<TreeEntry> file = Resolve(path);
  if (!file.ok()) return file.status();
  if (file->node.type() != md::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError(
        absl::StrCat(DisplayPath(path), " is a folder, not a file"));
  }
  md::ListVersionsResponse page;
  if (absl::Status s = Call("GET", NodePath(file->node, "/versions"), nullptr, &page); !s.ok()) {
    return s;
  }
  std::vector<VersionEntry> versions;
  for (md::Version& version : *page.mutable_versions()) {
    absl::StatusOr<v1::VersionAttributes> attributes =
        OpenVersionAttributes(file->key, version.encrypted_attributes());
    if (!attributes.ok()) {
      return absl::DataLossError(
          absl::StrCat("a version of ", DisplayPath(path),
                       " does not open with the file's key: it was altered"));
    }
    versions.push_back({.version = std::move(version), .attributes = *std::move(attributes)});
  }
  return versions;
}

absl::StatusOr<std::string> TreeClient::VersionPath(absl::string_view path,
                                                    absl::string_view version_id, md::Node* file) {
  const std::string id = absl::AsciiStrToUpper(version_id);
  if (!ids::IsValidId(id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", PrintableName(version_id), "\" is not a version id; `bitcontent versions ",
        DisplayPath(path), "` lists them in its first column"));
  }
  absl::StatusOr<TreeEntry> found = Resolve(path);
  if (!found.ok()) return found.status();
  if (found->node.type() != md::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError(
        absl::StrCat(DisplayPath(path), " is a folder, not a file"));
  }
  *file = std::move(found->node);
  const std::string version = absl::StrCat(file->name(), "/versions/", id);
  Remember(version, absl::StrCat("version ", id, " of ", DisplayPath(path)));
  return absl::StrCat("/v1/", version);
}

absl::Status TreeClient::RestoreVersion(absl::string_view path, absl::string_view version_id) {
  md::Node file;
  absl::StatusOr<std::string> version = VersionPath(path, version_id, &file);
  if (!version.ok()) return version.status();
  md::RestoreVersionRequest request;
  request.set_expected_revision(file.revision());
  return Call("POST", absl::StrCat(*version, ":restore"), &request, nullptr);
}

absl::StatusOr<uint64_t> TreeClient::DeleteVersion(absl::string_view path,
                                                   absl::string_view version_id) {
  md::Node file;
  absl::StatusOr<std::string> version = VersionPath(path, version_id, &file);
  if (!version.ok()) return version.status();
  md::DeleteVersionResponse deleted;
  if (absl::Status s = Call("DELETE", *version, nullptr, &deleted); !s.ok()) return s;
  return deleted.freed_bytes();
}

absl::StatusOr<md::RetentionPolicy> TreeClient::RetentionPolicy() {
  md::RetentionPolicy policy;
  if (absl::Status s = Call("GET", "/v1/users/me/retentionPolicy", nullptr, &policy); !s.ok()) {
    return s;
  }
  return policy;
}

absl::StatusOr<md::RetentionPolicy> TreeClient::SetRetentionPolicy(uint32_t max_versions,
                                                                   uint32_t max_age_days) {
  md::UpdateRetentionPolicyRequest request;
  request.mutable_retention_policy()->set_max_versions(max_versions);
  request.mutable_retention_policy()->set_max_age_days(max_age_days);
  md::RetentionPolicy policy;
  if (absl::Status s = Call("PATCH", "/v1/users/me/retentionPolicy", &request, &policy); !s.ok()) {
    return s;
  }
  return policy;
}

absl::StatusOr<std::vector<SharedFolder>> TreeClient::SharedWithMe() {
  absl::StatusOr<crypto::BoxKeyPair> keys = account_->BoxKeys();
  if (!keys.ok()) return keys.status();
  std::vector<SharedFolder> folders;
  std::string page_token;
  do {
    md::ListSharedWithMeResponse page;
    const std::string target = absl::StrCat("/v1/sharedWithMe?pageSize=100",
                                            page_token.empty() ? "" : "&pageToken=", page_token);
    if (absl::Status s = Call("GET", target, nullptr, &page); !s.ok()) return s;
    for (md::SharedWithMeEntry& entry : *page.mutable_entries()) {
      absl::StatusOr<std::string> key = crypto::OpenSealed(*keys, entry.share().sealed_key());
      absl::StatusOr<v1::NodeAttributes> attributes =
          key.ok() ? OpenAttributes(*key, entry.node().encrypted_attributes())
                   : absl::StatusOr<v1::NodeAttributes>(key.status());
      if (!attributes.ok()) {
        return absl::DataLossError(absl::StrCat("a folder shared with you (", entry.node().name(),
                                                ") does not open with your key"));
      }
      folders.push_back(
          {.entry = {std::move(*entry.mutable_node()), *std::move(key), attributes->name()},
           .share = std::move(*entry.mutable_share()),
           .owner_email = std::move(*entry.mutable_owner_email())});
    }
    page_token = page.next_page_token();
  } while (!page_token.empty() && folders.size() < kFolderEntriesMax);
  std::sort(folders.begin(), folders.end(), [](const SharedFolder& a, const SharedFolder& b) {
    return std::tie(a.entry.name, a.owner_email) < std::tie(b.entry.name, b.owner_email);
  });
  return folders;
}

std::string SharedPath(const SharedFolder& folder, const std::vector<SharedFolder>& shared) {
  // The shortest form that means this folder and no other.
  for (const std::string& form :
       {folder.entry.name, absl::StrCat(folder.owner_email, ":", folder.entry.name)}) {
    const std::vector<size_t> found = SharedCandidates(form, shared);
    if (found.size() == 1 && &shared[found[0]] == &folder) {
      return absl::StrCat(kSharedPrefix, form);
    }
  }
  return absl::StrCat(kSharedPrefix, ShortNodeId(folder.entry.node));
}

absl::StatusOr<accounts::v1::LookupUserPublicKeyResponse> TreeClient::LookupMember(
    absl::string_view email) {
  accounts::v1::LookupUserPublicKeyRequest lookup;
  lookup.set_email(std::string(email));
  accounts::v1::LookupUserPublicKeyResponse member;
  if (absl::Status s = Call("POST", "/v1/users:lookupPublicKey", &lookup, &member); !s.ok()) {
    return s;
  }
  return member;
}

absl::Status TreeClient::Share(absl::string_view path, absl::string_view email, bool writer) {
  absl::StatusOr<TreeEntry> folder = Resolve(path);
  if (!folder.ok()) return folder.status();
  if (folder->node.access_role() != md::ACCESS_ROLE_OWNER) {
    return absl::PermissionDeniedError(absl::StrCat(DisplayPath(path), " is not yours to share"));
  }
  absl::StatusOr<accounts::v1::LookupUserPublicKeyResponse> member = LookupMember(email);
  if (!member.ok()) return member.status();
  absl::StatusOr<std::string> sealed = crypto::TrySealTo(member->public_key(), folder->key);
  if (!sealed.ok()) return absl::DataLossError(absl::StrCat(email, "'s public key is unusable"));
  md::CreateShareRequest request;
  request.set_recipient(member->user());
  // As accounts keeps it (trimmed, lower case), so the owner's list shows one spelling.
  request.set_recipient_email(absl::AsciiStrToLower(absl::StripAsciiWhitespace(email)));
  request.set_role(writer ? md::SHARE_ROLE_WRITER : md::SHARE_ROLE_READER);
  request.set_sealed_key(*std::move(sealed));
  return Call("POST", NodePath(folder->node, "/shares"), &request, nullptr);
}

namespace {

// INVALID_ARGUMENT for `node` at `path` when it is a file: shares are of folders.
absl::Status RequireSharedKind(const TreeEntry& node, absl::string_view path) {
  if (node.node.type() == md::NODE_TYPE_FOLDER) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(DisplayPath(path),
                   " is a file: only folders are shared (share the folder "
                   "it is in, or make a link to it)"));
}

}  // namespace

absl::Status TreeClient::Unshare(absl::string_view path, absl::string_view email) {
  absl::StatusOr<TreeEntry> folder = Resolve(path);
  if (!folder.ok()) return folder.status();
  if (absl::Status kind = RequireSharedKind(*folder, path); !kind.ok()) return kind;
  // Ending a share is idempotent on the server; a member it never had (a mistyped email
  // of someone else, or of no member at all) is said here, not passed over as done.
  const absl::Status not_shared = absl::NotFoundError(
      absl::StrCat(DisplayPath(path), " is not shared with ", PrintableName(email),
                   "; `bitcontent share ", DisplayPath(path), "` lists whom it is"));
  absl::StatusOr<accounts::v1::LookupUserPublicKeyResponse> member = LookupMember(email);
  if (absl::IsNotFound(member.status())) return not_shared;
  if (!member.ok()) return member.status();
  absl::StatusOr<std::vector<md::Share>> shares = SharesOf(*folder, path);
  if (!shares.ok()) return shares.status();
  if (std::none_of(shares->begin(), shares->end(),
                   [&](const md::Share& share) { return share.recipient() == member->user(); })) {
    return not_shared;
  }
  return Call(
      "DELETE",
      absl::StrCat(NodePath(folder->node, "/shares/"), absl::StripPrefix(member->user(), "users/")),
      nullptr, nullptr);
}

absl::Status TreeClient::Leave(absl::string_view path, absl::string_view user_name) {
  absl::StatusOr<TreeEntry> folder = Resolve(path);
  if (!folder.ok()) return folder.status();
  if (absl::Status kind = RequireSharedKind(*folder, path); !kind.ok()) return kind;
  if (folder->node.access_role() == md::ACCESS_ROLE_OWNER) {
    return absl::InvalidArgumentError(absl::StrCat(
        DisplayPath(path), " is yours: name whom to stop sharing it with (`bitcontent unshare ",
        DisplayPath(path), " EMAIL`)"));
  }
  // A share is of the folder "shared:NAME" names; a folder inside it has none to leave.
  if (const std::vector<std::string> parts = SplitTreePath(path); parts.size() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(DisplayPath(path),
                     " is inside a folder shared with you; you can leave only "
                     "the shared folder itself (`bitcontent unshare ",
                     DisplayPath(parts[0]), "`)"));
  }
  return Call(
      "DELETE",
      absl::StrCat(NodePath(folder->node, "/shares/"), absl::StripPrefix(user_name, "users/")),
      nullptr, nullptr);
}

absl::StatusOr<std::vector<md::Share>> TreeClient::Shares(absl::string_view path) {
  absl::StatusOr<TreeEntry> folder = Resolve(path);
  if (!folder.ok()) return folder.status();
  return SharesOf(*folder, path);
}

absl::StatusOr<std::vector<md::Share>> TreeClient::SharesOf(const TreeEntry& folder,
                                                            absl::string_view path) {
  if (folder.node.access_role() != md::ACCESS_ROLE_OWNER) {
    return absl::PermissionDeniedError(absl::StrCat(
        DisplayPath(path), " is not yours: only its owner sees whom it is shared with"));
  }
  std::vector<md::Share> shares;
  std::string page_token;
  do {
    md::ListSharesResponse page;
    const std::string target = absl::StrCat(NodePath(folder.node, "/shares"), "?pageSize=100",
                                            page_token.empty() ? "" : "&pageToken=", page_token);
    if (absl::Status s = Call("GET", target, nullptr, &page); !s.ok()) return s;
    for (md::Share& share : *page.mutable_shares()) shares.push_back(std::move(share));
    page_token = page.next_page_token();
  } while (!page_token.empty() && shares.size() < kFolderEntriesMax);
  std::stable_sort(shares.begin(), shares.end(), [](const md::Share& a, const md::Share& b) {
    return auth::TimeFromProto(a.create_time()) < auth::TimeFromProto(b.create_time());
  });
  return shares;
}

absl::Status TreeClient::Trash(absl::string_view path) {
  absl::StatusOr<TreeEntry> node = Resolve(path);
  if (!node.ok()) return node.status();
  if (node->name.empty())
    return absl::InvalidArgumentError("the root folder cannot go to the trash");
  md::TrashNodeRequest request;
  request.set_expected_revision(node->node.revision());
  return Call("POST", NodePath(node->node, ":trash"), &request, nullptr);
}

absl::StatusOr<LocatedEntry> TreeClient::Locate(const TreeEntry& root, md::Node node) {
  // Up to the root, then down again opening each key with its folder's.
  std::vector<md::Node> chain = {std::move(node)};
  while (chain.back().parent() != root.node.name()) {
    if (chain.size() > kFolderDepthMax) return absl::DataLossError("the tree is too deep");
    if (chain.back().parent().empty()) {
      return absl::NotFoundError(absl::StrCat(chain.front().name(), " is not in your tree"));
    }
    md::Node up;
    if (absl::Status s = Call("GET", absl::StrCat("/v1/", chain.back().parent()), nullptr, &up);
        !s.ok()) {
      return s;
    }
    chain.push_back(std::move(up));
  }
  LocatedEntry located{.entry = root};
  for (auto link = chain.rbegin(); link != chain.rend(); ++link) {
    absl::StatusOr<TreeEntry> opened = OpenChild(located.entry, *link);
    if (!opened.ok()) return opened.status();
    located.entry = *std::move(opened);
    absl::StrAppend(&located.path, "/", PrintableName(located.entry.name));
  }
  return located;
}

absl::StatusOr<LocatedEntry> TreeClient::LocateNode(const TreeEntry& root,
                                                    absl::string_view node_name) {
  if (node_name == root.node.name()) return LocatedEntry{.path = "/", .entry = root};
  md::Node node;
  if (absl::Status s = Call("GET", absl::StrCat("/v1/", node_name), nullptr, &node); !s.ok()) {
    return s;
  }
  return Locate(root, std::move(node));
}

absl::StatusOr<std::string> TreeClient::PathOf(absl::string_view node_name) {
  absl::StatusOr<TreeEntry> root = Root();
  if (!root.ok()) return root.status();
  absl::StatusOr<LocatedEntry> located = LocateNode(*root, node_name);
  if (!located.ok()) return located.status();
  return ShownPath(*located);
}

absl::StatusOr<std::vector<LinkEntry>> TreeClient::Links(bool inactive) {
  absl::StatusOr<TreeEntry> root = Root();
  if (!root.ok()) return root.status();
  std::vector<LinkEntry> links;
  std::string page_token;
  do {
    md::ListLinksResponse page;
    const std::string target =
        absl::StrCat("/v1/users/me/links?pageSize=100", inactive ? "&showInactive=true" : "",
                     page_token.empty() ? "" : "&pageToken=", page_token);
    if (absl::Status s = Call("GET", target, nullptr, &page); !s.ok()) return s;
    for (md::Link& link : *page.mutable_links()) {
      LinkEntry entry{.link = std::move(link)};
      absl::StatusOr<LocatedEntry> located = LocateNode(*root, entry.link.node());
      // Purged, or another's (linked before links were owners'): it opens nothing of ours.
      if (absl::IsNotFound(located.status())) {
        links.push_back(std::move(entry));
        continue;
      }
      if (!located.ok()) return located.status();
      entry.path = ShownPath(*located);
      entry.url =
          FormatLinkUrl({.server = account_->options().server,
                         .link = entry.link.name(),
                         .key = located->entry.node.priced() ? std::string() : located->entry.key});
      entry.in_trash = located->entry.node.state() == md::NODE_STATE_TRASHED;
      links.push_back(std::move(entry));
    }
    page_token = page.next_page_token();
  } while (!page_token.empty() && links.size() < kLinksListedMax);
  // Link ids are random, so the server's order says nothing: oldest first.
  std::stable_sort(links.begin(), links.end(), [](const LinkEntry& a, const LinkEntry& b) {
    return auth::TimeFromProto(a.link.create_time()) < auth::TimeFromProto(b.link.create_time());
  });
  return links;
}

absl::StatusOr<std::vector<TrashedEntry>> TreeClient::Trashed() {
  absl::StatusOr<TreeEntry> root = Root();
  if (!root.ok()) return root.status();
  std::vector<TrashedEntry> trashed;
  std::string page_token;
  do {
    md::ListTrashResponse page;
    const std::string target = absl::StrCat("/v1/users/me/trash?pageSize=1000",
                                            page_token.empty() ? "" : "&pageToken=", page_token);
    if (absl::Status s = Call("GET", target, nullptr, &page); !s.ok()) return s;
    for (md::Node& node : *page.mutable_nodes()) {
      absl::StatusOr<LocatedEntry> located = Locate(*root, std::move(node));
      if (!located.ok()) return located.status();
      trashed.push_back(*std::move(located));
    }
    page_token = page.next_page_token();
  } while (!page_token.empty() && trashed.size() < kFolderEntriesMax);
  const auto trash_time = [](const TrashedEntry& entry) {
    return auth::TimeFromProto(entry.entry.node.trash_time());
  };
  std::sort(trashed.begin(), trashed.end(), [&](const TrashedEntry& a, const TrashedEntry& b) {
    if (a.path != b.path) return a.path < b.path;
    return trash_time(a) < trash_time(b);
  });
  for (size_t i = 0; i < trashed.size(); ++i) {
    const TrashedEntry& entry = trashed[i];
    // Where a path repeats in the trash, its id tells which is meant.
    const bool repeated = (i > 0 && trashed[i - 1].path == entry.path) ||
                          (i + 1 < trashed.size() && trashed[i + 1].path == entry.path);
    Remember(
        entry.entry.node.name(),
        repeated ? absl::StrCat(entry.path, " (", ShortNodeId(entry.entry.node), ")") : entry.path);
  }
  return trashed;
}

absl::StatusOr<std::vector<TrashedEntry>> TreeClient::FindTrashed(absl::string_view target) {
  absl::StatusOr<std::vector<TrashedEntry>> trashed = Trashed();
  if (!trashed.ok()) return trashed.status();
  std::vector<TrashedEntry> found;
  const std::string id = TypedId(target);
  for (const TrashedEntry& entry : *trashed) {
    if (ShortNodeId(entry.entry.node) == id ||
        absl::StripPrefix(entry.entry.node.name(), "nodes/") == id) {
      found.push_back(entry);
    }
  }
  if (!found.empty()) return found;
  const std::string path = DisplayPath(target);
  for (const TrashedEntry& entry : *trashed) {
    if (entry.path == path) found.push_back(entry);
  }
  if (!found.empty()) return found;
  for (const TrashedEntry& entry : *trashed) {
    if (absl::StartsWith(path, absl::StrCat(entry.path, "/"))) {
      return absl::NotFoundError(absl::StrCat(path, " is in ", entry.path,
                                              ", which is in the trash: restore or purge ",
                                              entry.path, " with all it holds"));
    }
  }
  if (absl::StartsWith(path, kSharedPrefix)) {
    // What a writer trashed in a folder shared with them went to its owner's trash.
    return absl::PermissionDeniedError(
        absl::StrCat(path,
                     " is in a folder shared with you: what is trashed there is in its "
                     "owner's trash, and only they can restore or purge it"));
  }
  // A bare word may have been an id `trash` showed, of something purged since.
  if (!absl::StrContains(target, '/') && id.size() == kShortNodeIdLength && ids::IsIdText(id)) {
    return absl::NotFoundError(absl::StrCat("nothing in the trash has the id ", id, ", nor is ",
                                            path, " there; `bitcontent trash` lists what is"));
  }
  return absl::NotFoundError(absl::StrCat(path, " is not in the trash"));
}

absl::StatusOr<uint64_t> TreeClient::EmptyTrash() {
  md::EmptyTrashRequest request;
  md::EmptyTrashResponse emptied;
  if (absl::Status s = Call("POST", "/v1/users/me/trash:empty", &request, &emptied); !s.ok()) {
    return s;
  }
  return emptied.freed_bytes();
}

absl::StatusOr<uint64_t> TreeClient::Purge(const TrashedEntry& trashed) {
  md::PurgeNodeRequest request;
  md::PurgeNodeResponse purged;
  if (absl::Status s = Call("POST", NodePath(trashed.entry.node, ":purge"), &request, &purged);
      !s.ok()) {
    return s;
  }
  return purged.freed_bytes();
}

absl::StatusOr<std::string> TreeClient::Restore(const TrashedEntry& trashed,
                                                absl::string_view destination) {
  const TreeEntry& node = trashed.entry;
  md::RestoreNodeRequest request;
  std::string restored_path = trashed.path;
  if (!destination.empty()) {
    absl::StatusOr<Destination> to = ResolveDestination(destination, node.name);
    if (!to.ok()) return to.status();
    if (to->name != node.name) {
      absl::StatusOr<std::string> renamed =
          RenamedAttributes(node.key, node.node.encrypted_attributes(), to->name);
      if (!renamed.ok()) return renamed.status();
      request.set_encrypted_attributes(*std::move(renamed));
    }
    request.set_new_parent(to->folder.node.name());
    request.set_wrapped_key(WrapNodeKey(to->folder.key, node.key));
    request.set_name_hmac(NameHmac(to->folder.key, to->name));
    restored_path = std::move(to->path);
  }
  absl::Status status = Call("POST", NodePath(node.node, ":restore"), &request, nullptr);
  if (absl::IsAlreadyExists(status) && !destination.empty()) {
    return absl::AlreadyExistsError(
        absl::StrCat(restored_path, " already exists and is not replaced"));
  }
  if (!status.ok()) return status;
  return restored_path;
}

absl::Status TreeClient::Named(const absl::Status& status) const {
  if (status.ok()) return status;
  std::string message(status.message());
  // Longest first: a version's name holds its file's.
  std::vector<const std::pair<std::string, std::string>*> names;
  for (const auto& shown : shown_) names.push_back(&shown);
  std::sort(names.begin(), names.end(),
            [](const auto* a, const auto* b) { return a->first.size() > b->first.size(); });
  for (const auto* shown : names) {
    if (absl::StrContains(message, shown->first)) {
      message = absl::StrReplaceAll(message, {{shown->first, shown->second}});
    }
  }
  if (message == status.message()) return status;
  absl::Status named(status.code(), message);
  status.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { named.SetPayload(url, payload); });
  return named;
}

void TreeClient::Remember(const std::string& resource, std::string shown) {
  for (auto& known : shown_) {
    if (known.first == resource) {
      known.second = std::move(shown);
      return;
    }
  }
  shown_.emplace_back(resource, std::move(shown));
}

absl::Status TreeClient::Call(absl::string_view method, absl::string_view target,
                              const google::protobuf::Message* request,
                              google::protobuf::Message* response) {
  return Named(account_->CallAsMember(method, target, request, response));
}

absl::Status NamedByPath(const absl::Status& status, absl::string_view node_name,
                         absl::string_view path) {
  if (status.ok() || node_name.empty() || !absl::StrContains(status.message(), node_name)) {
    return status;
  }
  absl::Status named(status.code(), absl::StrReplaceAll(status.message(), {{node_name, path}}));
  status.ForEachPayload(
      [&](absl::string_view url, const absl::Cord& payload) { named.SetPayload(url, payload); });
  return named;
}

}  // namespace bitcontent::client
