// A metadata Tree over a real RocksDB in a fresh temporary directory, with what the
// unit tests of services/metadata send as a client would: opaque bytes of the right
// sizes.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/metadata/shares.h"
#include "services/metadata/tree.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::metadata {

inline const absl::Time kNow = absl::FromUnixSeconds(1790000000);

// What a client would send: opaque bytes of the right sizes.
inline std::string WrappedKey(char fill = 'k') { return std::string(Tree::kWrappedKeyBytes, fill); }
inline std::string NameHmac(absl::string_view name) {
  std::string hmac(name);
  hmac.resize(Tree::kNameHmacBytes, '.');
  return hmac;
}

class Fixture {
 public:
  explicit Fixture(RetentionDefaults retention = {}) {
    absl::StatusOr<std::unique_ptr<store::Store>> opened = MetadataDb::OpenStore(dir_.Sub("db"));
    REQUIRE(opened.ok());
    store_ = *std::move(opened);
    db_ = std::make_unique<MetadataDb>(store_.get());
    tree_ = std::make_unique<Tree>(*db_, retention);
  }

  Tree& tree() { return *tree_; }
  const MetadataDb& db() const { return *db_; }
  ChangeLog log() const { return ChangeLog(*db_); }

  v1::Node Root(const Actor& actor) {
    v1::CreateRootNodeRequest request;
    request.set_wrapped_key(WrappedKey());
    request.set_encrypted_attributes("sealed root");
    absl::StatusOr<v1::Node> root = tree_->CreateRoot(actor, request, kNow);
    INFO(root.status().ToString());
    REQUIRE(root.ok());
    return *root;
  }

  absl::StatusOr<v1::Node> Folder(const Actor& actor, const v1::Node& parent,
                                  absl::string_view name, absl::string_view request_id = "") {
    v1::CreateFolderRequest request;
    request.set_parent(parent.name());
    request.set_wrapped_key(WrappedKey());
    request.set_name_hmac(NameHmac(name));
    request.set_encrypted_attributes(absl::StrCat("sealed ", name));
    request.set_request_id(std::string(request_id));
    return tree_->CreateFolder(actor, request, kNow);
  }

  v1::Node MustFolder(const Actor& actor, const v1::Node& parent, absl::string_view name) {
    absl::StatusOr<v1::Node> folder = Folder(actor, parent, name);
    INFO(folder.status().ToString());
    REQUIRE(folder.ok());
    return *folder;
  }

  // Shares `owner`'s `folder` with `member` in `role`.
  void Share(const Actor& owner, const v1::Node& folder, const Actor& member, v1::ShareRole role) {
    Shares shares(db(), tree_.get());
    v1::CreateShareRequest request;
    request.set_node(folder.name());
    request.set_recipient(absl::StrCat("users/", member.user_id));
    request.set_role(role);
    request.set_sealed_key(std::string(Shares::kSealedKeyBytes, 's'));
    absl::StatusOr<v1::Share> shared = shares.Create(owner, request, kNow);
    INFO(shared.status().ToString());
    REQUIRE(shared.ok());
  }

  std::vector<std::string> Children(const Actor& actor, const v1::Node& parent,
                                    bool show_trashed = false) {
    v1::ListChildrenRequest request;
    request.set_parent(parent.name());
    request.set_show_trashed(show_trashed);
    absl::StatusOr<ChildPage> page = tree_->ListChildren(actor, request);
    INFO(page.status().ToString());
    REQUIRE(page.ok());
    std::vector<std::string> names;
    for (const v1::Node& node : page->nodes) names.push_back(node.encrypted_attributes());
    // Ids order children by creation time to the millisecond; these tests create many
    // in one millisecond, so compare them as sets.
    std::sort(names.begin(), names.end());
    return names;
  }

  absl::StatusOr<v1::Node> Move(const Actor& actor, const v1::Node& node, const v1::Node& to,
                                absl::string_view name) {
    v1::MoveNodeRequest request;
    request.set_name(node.name());
    request.set_new_parent(to.name());
    request.set_wrapped_key(WrappedKey('m'));
    request.set_name_hmac(NameHmac(name));
    return tree_->Move(actor, request, kNow);
  }

  // A new file `name` in `parent` whose head version has `size_bytes` in blob `blob`.
  v1::CommitUploadResponse File(const Actor& actor, const v1::Node& parent, absl::string_view name,
                                absl::string_view blob, uint64_t size_bytes, absl::Time now) {
    v1::NewFile file;
    file.set_wrapped_key(WrappedKey());
    file.set_name_hmac(NameHmac(name));
    file.set_encrypted_attributes(absl::StrCat("sealed ", name));
    store::WriteBatch batch;
    absl::StatusOr<v1::CommitUploadResponse> made = tree_->CreateFile(
        actor, parent.name(), file, VersionOf(blob, size_bytes), &batch,
        [](const v1::Version&) { return absl::OkStatus(); }, now);
    INFO(made.status().ToString());
    REQUIRE(made.ok());
    return *made;
  }

  // A new head version of `file` with `size_bytes` in blob `blob`.
  VersionAdded NewVersion(const Actor& actor, const v1::Node& file, absl::string_view blob,
                          uint64_t size_bytes, absl::Time now) {
    store::WriteBatch batch;
    absl::StatusOr<VersionAdded> added = tree_->AddVersion(
        actor, file.name(), "", VersionOf(blob, size_bytes), &batch,
        [](const v1::Version&) { return absl::OkStatus(); }, now);
    INFO(added.status().ToString());
    REQUIRE(added.ok());
    return *added;
  }

  absl::StatusOr<v1::Node> Trash(const Actor& actor, const v1::Node& node) {
    v1::TrashNodeRequest request;
    request.set_name(node.name());
    return tree_->Trash(actor, request, kNow);
  }

  absl::StatusOr<v1::Node> Restore(const Actor& actor, const v1::Node& node) {
    v1::RestoreNodeRequest request;
    request.set_name(node.name());
    return tree_->Restore(actor, request, kNow);
  }

 private:
  store::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<MetadataDb> db_;
  std::unique_ptr<Tree> tree_;

  static v1::Version VersionOf(absl::string_view blob, uint64_t size_bytes) {
    v1::Version version;
    version.set_blob(std::string(blob));
    version.set_size_bytes(size_bytes);
    version.set_chunk_size_bytes(1 << 20);
    version.set_chunk_count(1);
    return version;
  }
};

inline const Actor kAda{.user_id = "01HXADA0000000000000000000", .device_id = "laptop"};
inline const Actor kBob{.user_id = "01HXB0B0000000000000000000", .device_id = "phone"};

}  // namespace bitcontent::metadata
