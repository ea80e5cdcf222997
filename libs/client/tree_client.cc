#include "libs/client/tree_client.h"

#include <algorithm>
#include <utility>

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

std::string Shown(const std::vector<std::string>& parts, size_t count) {
  const std::string joined = absl::StrJoin(parts.begin(), parts.begin() + count, "/");
  // A path in a folder shared with the member starts at its "shared:" name, not at "/".
  if (count > 0 && absl::StartsWith(parts[0], kSharedPrefix)) return joined;
  return absl::StrCat("/", joined);
}

}  // namespace

std::string DisplayPath(absl::string_view path) {
  const std::vector<std::string> parts = SplitTreePath(path);
  return Shown(parts, parts.size());
}

std::vector<std::string> SplitTreePath(absl::string_view path) {
  return absl::StrSplit(path, '/', absl::SkipEmpty());
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
    if (absl::Status s = account_->CallAsMember("GET", target, nullptr, &page); !s.ok()) return s;
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

absl::StatusOr<TreeEntry> TreeClient::Resolve(absl::string_view path, bool trashed) {
  const std::vector<std::string> parts = SplitTreePath(path);
  absl::StatusOr<TreeEntry> here;
  size_t first = 0;
  if (!parts.empty() && absl::StartsWith(parts[0], kSharedPrefix)) {
    absl::StatusOr<std::vector<SharedFolder>> shared = SharedWithMe();
    if (!shared.ok()) return shared.status();
    const absl::string_view name = absl::string_view(parts[0]).substr(kSharedPrefix.size());
    const auto found = std::find_if(shared->begin(), shared->end(),
                                    [&](const SharedFolder& f) { return f.entry.name == name; });
    if (found == shared->end()) {
      return absl::NotFoundError(absl::StrCat("nothing called ", name,
                                              " is shared with you; `bitcontent shared` lists "
                                              "what is"));
    }
    here = std::move(found->entry);
    first = 1;
  } else {
    here = Root();
  }
  for (size_t i = first; i < parts.size() && here.ok(); ++i) {
    absl::StatusOr<std::vector<TreeEntry>> children =
        ListFolder(*here, trashed && i + 1 == parts.size());
    if (!children.ok()) return children.status();
    const auto found = std::find_if(children->begin(), children->end(),
                                    [&](const TreeEntry& entry) { return entry.name == parts[i]; });
    if (found == children->end()) {
      return absl::NotFoundError(absl::StrCat("no ", Shown(parts, i + 1)));
    }
    here = std::move(*found);
  }
  return here;
}

absl::StatusOr<TreeEntry> TreeClient::MakeFolder(absl::string_view path) {
  const std::vector<std::string> parts = SplitTreePath(path);
  if (parts.empty()) return absl::AlreadyExistsError("/ is your root folder; it always exists");
  absl::StatusOr<TreeEntry> parent = Resolve(Shown(parts, parts.size() - 1));
  if (!parent.ok()) return parent.status();
  absl::StatusOr<SealedNode> sealed = SealChild(parent->key, parts.back(), absl::Now());
  if (!sealed.ok()) return sealed.status();
  md::CreateFolderRequest request;
  request.set_parent(parent->node.name());
  request.set_wrapped_key(sealed->wrapped_key);
  request.set_name_hmac(sealed->name_hmac);
  request.set_encrypted_attributes(sealed->encrypted_attributes);
  request.set_request_id(ids::NewRandomId());
  md::Node made;
  absl::Status status = account_->CallAsMember("POST", "/v1/nodes:createFolder", &request, &made);
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(absl::StrCat(Shown(parts, parts.size()), " already exists"));
  }
  if (!status.ok()) {
    return NamedByPath(status, parent->node.name(), Shown(parts, parts.size() - 1));
  }
  return TreeEntry{std::move(made), std::move(sealed->key), parts.back()};
}

absl::StatusOr<TreeEntry> TreeClient::Move(absl::string_view path, absl::string_view folder) {
  absl::StatusOr<TreeEntry> moving = Resolve(path);
  if (!moving.ok()) return moving.status();
  if (moving->name.empty()) return absl::InvalidArgumentError("the root folder cannot move");
  absl::StatusOr<TreeEntry> destination = Resolve(folder);
  if (!destination.ok()) return destination.status();
  md::MoveNodeRequest request;
  request.set_new_parent(destination->node.name());
  request.set_wrapped_key(WrapNodeKey(destination->key, moving->key));
  request.set_name_hmac(NameHmac(destination->key, moving->name));
  request.set_expected_revision(moving->node.revision());
  md::Node moved;
  absl::Status status = CallOnNode("POST", *moving, ":move", path, &request, &moved);
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(
        absl::StrCat(folder, " already holds something called ", moving->name));
  }
  if (!status.ok()) return status;
  return TreeEntry{std::move(moved), std::move(moving->key), std::move(moving->name)};
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
  if (absl::Status s = account_->CallAsMember("POST", "/v1/links", &request, &link); !s.ok()) {
    return s;
  }
  // A priced file's link is a sale link: its key never travels in it (buyers get it
  // from pricing once they have paid).
  return FormatLinkUrl({.server = account_->options().server,
                        .link = link.name(),
                        .key = node->node.priced() ? std::string() : node->key});
}

absl::Status TreeClient::RevokeLink(absl::string_view link) {
  std::string name(link);
  if (IsLinkUrl(link)) {
    absl::StatusOr<LinkUrl> url = ParseLinkUrl(link, LinkKey::kOptional);
    if (!url.ok()) return url.status();
    name = url->link;
  }
  md::RevokeLinkRequest request;
  return account_->CallAsMember("POST", absl::StrCat("/v1/", name, ":revoke"), &request, nullptr);
}

absl::StatusOr<std::vector<VersionEntry>> TreeClient::Versions(absl::string_view path) {
  absl::StatusOr<TreeEntry> file = Resolve(path);
  if (!file.ok()) return file.status();
  if (file->node.type() != md::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is a folder, not a file"));
  }
  md::ListVersionsResponse page;
  if (absl::Status s =
          account_->CallAsMember("GET", NodePath(file->node, "/versions"), nullptr, &page);
      !s.ok()) {
    return s;
  }
  std::vector<VersionEntry> versions;
  for (md::Version& version : *page.mutable_versions()) {
    absl::StatusOr<v1::VersionAttributes> attributes =
        OpenVersionAttributes(file->key, version.encrypted_attributes());
    if (!attributes.ok()) {
      return absl::DataLossError(
          absl::StrCat(version.name(), " does not open with the file's key: it was altered"));
    }
    versions.push_back({.version = std::move(version), .attributes = *std::move(attributes)});
  }
  return versions;
}

absl::StatusOr<std::string> TreeClient::VersionPath(absl::string_view path,
                                                    absl::string_view version_id, md::Node* file) {
  absl::StatusOr<TreeEntry> found = Resolve(path);
  if (!found.ok()) return found.status();
  if (found->node.type() != md::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is a folder, not a file"));
  }
  *file = std::move(found->node);
  return NodePath(*file, absl::StrCat("/versions/", version_id));
}

absl::Status TreeClient::RestoreVersion(absl::string_view path, absl::string_view version_id) {
  md::Node file;
  absl::StatusOr<std::string> version = VersionPath(path, version_id, &file);
  if (!version.ok()) return version.status();
  md::RestoreVersionRequest request;
  request.set_expected_revision(file.revision());
  return account_->CallAsMember("POST", absl::StrCat(*version, ":restore"), &request, nullptr);
}

absl::StatusOr<uint64_t> TreeClient::DeleteVersion(absl::string_view path,
                                                   absl::string_view version_id) {
  md::Node file;
  absl::StatusOr<std::string> version = VersionPath(path, version_id, &file);
  if (!version.ok()) return version.status();
  md::DeleteVersionResponse deleted;
  if (absl::Status s = account_->CallAsMember("DELETE", *version, nullptr, &deleted); !s.ok()) {
    return s;
  }
  return deleted.freed_bytes();
}

absl::StatusOr<md::RetentionPolicy> TreeClient::RetentionPolicy() {
  md::RetentionPolicy policy;
  if (absl::Status s =
          account_->CallAsMember("GET", "/v1/users/me/retentionPolicy", nullptr, &policy);
      !s.ok()) {
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
  if (absl::Status s =
          account_->CallAsMember("PATCH", "/v1/users/me/retentionPolicy", &request, &policy);
      !s.ok()) {
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
    if (absl::Status s = account_->CallAsMember("GET", target, nullptr, &page); !s.ok()) return s;
    for (md::SharedWithMeEntry& entry : *page.mutable_entries()) {
      absl::StatusOr<std::string> key = crypto::OpenSealed(*keys, entry.share().sealed_key());
      absl::StatusOr<v1::NodeAttributes> attributes =
          key.ok() ? OpenAttributes(*key, entry.node().encrypted_attributes())
                   : absl::StatusOr<v1::NodeAttributes>(key.status());
      if (!attributes.ok()) {
        return absl::DataLossError(
            absl::StrCat("the share of ", entry.node().name(), " does not open with your key"));
      }
      folders.push_back(
          {.entry = {std::move(*entry.mutable_node()), *std::move(key), attributes->name()},
           .share = std::move(*entry.mutable_share())});
    }
    page_token = page.next_page_token();
  } while (!page_token.empty() && folders.size() < kFolderEntriesMax);
  std::sort(folders.begin(), folders.end(), [](const SharedFolder& a, const SharedFolder& b) {
    return a.entry.name < b.entry.name;
  });
  return folders;
}

absl::StatusOr<accounts::v1::LookupUserPublicKeyResponse> TreeClient::LookupMember(
    absl::string_view email) {
  accounts::v1::LookupUserPublicKeyRequest lookup;
  lookup.set_email(std::string(email));
  accounts::v1::LookupUserPublicKeyResponse member;
  if (absl::Status s =
          account_->CallAsMember("POST", "/v1/users:lookupPublicKey", &lookup, &member);
      !s.ok()) {
    return s;
  }
  return member;
}

absl::Status TreeClient::Share(absl::string_view path, absl::string_view email, bool writer) {
  absl::StatusOr<TreeEntry> folder = Resolve(path);
  if (!folder.ok()) return folder.status();
  if (folder->node.access_role() != md::ACCESS_ROLE_OWNER) {
    return absl::PermissionDeniedError(absl::StrCat(path, " is not yours to share"));
  }
  absl::StatusOr<accounts::v1::LookupUserPublicKeyResponse> member = LookupMember(email);
  if (!member.ok()) return member.status();
  absl::StatusOr<std::string> sealed = crypto::TrySealTo(member->public_key(), folder->key);
  if (!sealed.ok()) return absl::DataLossError(absl::StrCat(email, "'s public key is unusable"));
  md::CreateShareRequest request;
  request.set_recipient(member->user());
  request.set_recipient_email(std::string(email));
  request.set_role(writer ? md::SHARE_ROLE_WRITER : md::SHARE_ROLE_READER);
  request.set_sealed_key(*std::move(sealed));
  return CallOnNode("POST", *folder, "/shares", path, &request, nullptr);
}

absl::Status TreeClient::Unshare(absl::string_view path, absl::string_view email) {
  absl::StatusOr<TreeEntry> folder = Resolve(path);
  if (!folder.ok()) return folder.status();
  absl::StatusOr<accounts::v1::LookupUserPublicKeyResponse> member = LookupMember(email);
  if (!member.ok()) return member.status();
  return account_->CallAsMember(
      "DELETE",
      absl::StrCat(NodePath(folder->node, "/shares/"), absl::StripPrefix(member->user(), "users/")),
      nullptr, nullptr);
}

absl::Status TreeClient::Trash(absl::string_view path) {
  absl::StatusOr<TreeEntry> node = Resolve(path);
  if (!node.ok()) return node.status();
  md::TrashNodeRequest request;
  request.set_expected_revision(node->node.revision());
  return CallOnNode("POST", *node, ":trash", path, &request, nullptr);
}

absl::StatusOr<std::vector<std::pair<std::string, TreeEntry>>> TreeClient::Trashed() {
  absl::StatusOr<TreeEntry> root = Root();
  if (!root.ok()) return root.status();
  std::vector<std::pair<std::string, TreeEntry>> trashed;
  std::string page_token;
  do {
    md::ListTrashResponse page;
    const std::string target = absl::StrCat("/v1/users/me/trash?pageSize=1000",
                                            page_token.empty() ? "" : "&pageToken=", page_token);
    if (absl::Status s = account_->CallAsMember("GET", target, nullptr, &page); !s.ok()) return s;
    for (md::Node& node : *page.mutable_nodes()) {
      // Up to the root, then down again opening each key with its folder's.
      std::vector<md::Node> chain = {std::move(node)};
      while (chain.back().parent() != root->node.name()) {
        if (chain.size() > kFolderDepthMax) return absl::DataLossError("the tree is too deep");
        md::Node up;
        if (absl::Status s = account_->CallAsMember(
                "GET", absl::StrCat("/v1/", chain.back().parent()), nullptr, &up);
            !s.ok()) {
          return s;
        }
        chain.push_back(std::move(up));
      }
      TreeEntry here = *root;
      std::string path;
      for (auto link = chain.rbegin(); link != chain.rend(); ++link) {
        absl::StatusOr<TreeEntry> opened = OpenChild(here, *link);
        if (!opened.ok()) return opened.status();
        here = *std::move(opened);
        absl::StrAppend(&path, "/", here.name);
      }
      trashed.emplace_back(std::move(path), std::move(here));
    }
    page_token = page.next_page_token();
  } while (!page_token.empty() && trashed.size() < kFolderEntriesMax);
  std::sort(trashed.begin(), trashed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return trashed;
}

absl::StatusOr<uint64_t> TreeClient::EmptyTrash() {
  md::EmptyTrashRequest request;
  md::EmptyTrashResponse emptied;
  if (absl::Status s =
          account_->CallAsMember("POST", "/v1/users/me/trash:empty", &request, &emptied);
      !s.ok()) {
    return s;
  }
  return emptied.freed_bytes();
}

absl::StatusOr<uint64_t> TreeClient::Purge(absl::string_view path) {
  absl::StatusOr<TreeEntry> node = Resolve(path, /*trashed=*/true);
  if (!node.ok()) return node.status();
  md::PurgeNodeRequest request;
  md::PurgeNodeResponse purged;
  if (absl::Status s = CallOnNode("POST", *node, ":purge", path, &request, &purged); !s.ok()) {
    return s;
  }
  return purged.freed_bytes();
}

absl::Status TreeClient::Restore(absl::string_view path) {
  absl::StatusOr<TreeEntry> node = Resolve(path, /*trashed=*/true);
  if (!node.ok()) return node.status();
  md::RestoreNodeRequest request;
  return CallOnNode("POST", *node, ":restore", path, &request, nullptr);
}

absl::Status TreeClient::CallOnNode(absl::string_view method, const TreeEntry& node,
                                    absl::string_view verb, absl::string_view path,
                                    const google::protobuf::Message* request,
                                    google::protobuf::Message* response) {
  return NamedByPath(account_->CallAsMember(method, NodePath(node.node, verb), request, response),
                     node.node.name(), path);
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
