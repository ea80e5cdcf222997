// The metadata tree against a real RocksDB: folders, names that collide, moves, the
// trash, other members, and the change log that records each change.
#include "services/metadata/tree.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/kit/error_details.h"
#include "tests/unit/metadata/tree_fixture.h"

namespace bitcontent::metadata {
namespace {

TEST_CASE("metadata tree makes one root per member and folders under it", "[metadata][tree]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  CHECK(root.type() == v1::NODE_TYPE_FOLDER);
  CHECK(root.owner() == "users/01HXADA0000000000000000000");
  CHECK(root.parent().empty());
  CHECK(root.access_role() == v1::ACCESS_ROLE_OWNER);

  absl::StatusOr<v1::Node> again = fixture.tree().GetRoot(kAda);
  REQUIRE(again.ok());
  CHECK(again->name() == root.name());
  v1::CreateRootNodeRequest second;
  second.set_wrapped_key(WrappedKey());
  second.set_encrypted_attributes("another root");
  CHECK(fixture.tree().CreateRoot(kAda, second, kNow).status().code() ==
        absl::StatusCode::kAlreadyExists);
  CHECK(absl::IsNotFound(fixture.tree().GetRoot(kBob).status()));

  const v1::Node photos = fixture.MustFolder(kAda, root, "photos");
  fixture.MustFolder(kAda, root, "music");
  fixture.MustFolder(kAda, photos, "2026");
  CHECK(photos.parent() == root.name());
  CHECK(photos.revision() == 1);
  CHECK(fixture.Children(kAda, root) == std::vector<std::string>{"sealed music", "sealed photos"});
  CHECK(fixture.Children(kAda, photos) == std::vector<std::string>{"sealed 2026"});
}

TEST_CASE("metadata tree refuses a second folder with the same name and bad input",
          "[metadata][tree]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node first = fixture.MustFolder(kAda, root, "photos");
  absl::StatusOr<v1::Node> clash = fixture.Folder(kAda, root, "photos");
  CHECK(clash.status().code() == absl::StatusCode::kAlreadyExists);
  CHECK(kit::DetailsOf(clash.status()).reason() == common::v1::ERROR_REASON_NAME_CONFLICT);
  CHECK(clash.status().message().find(first.name()) != absl::string_view::npos);
  // The same name in another folder is fine.
  fixture.MustFolder(kAda, first, "photos");

  v1::CreateFolderRequest bad;
  bad.set_parent(root.name());
  bad.set_wrapped_key("short");
  bad.set_name_hmac(NameHmac("x"));
  bad.set_encrypted_attributes("x");
  absl::StatusOr<v1::Node> refused = fixture.tree().CreateFolder(kAda, bad, kNow);
  CHECK(refused.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(refused.status().message().find("wrapped_key") != absl::string_view::npos);
  bad.set_wrapped_key(WrappedKey());
  bad.set_parent("folders/nope");
  CHECK(fixture.tree().CreateFolder(kAda, bad, kNow).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("metadata tree returns the same folder when a create is retried with its request id",
          "[metadata][tree]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  absl::StatusOr<v1::Node> made = fixture.Folder(kAda, root, "docs", "req-1");
  REQUIRE(made.ok());
  absl::StatusOr<v1::Node> retried = fixture.Folder(kAda, root, "docs", "req-1");
  REQUIRE(retried.ok());
  CHECK(retried->name() == made->name());
  CHECK(fixture.Children(kAda, root).size() == 1);
}

TEST_CASE("metadata tree hides one member's nodes from another", "[metadata][tree]") {
  Fixture fixture;
  const v1::Node ada_root = fixture.Root(kAda);
  const v1::Node secret = fixture.MustFolder(kAda, ada_root, "secret");
  fixture.Root(kBob);
  CHECK(absl::IsNotFound(fixture.tree().Get(kBob, secret.name()).status()));
  CHECK(absl::IsNotFound(fixture.Folder(kBob, secret, "mine").status()));
  CHECK(absl::IsNotFound(fixture.Trash(kBob, secret).status()));
  v1::ListChildrenRequest list;
  list.set_parent(ada_root.name());
  CHECK(absl::IsNotFound(fixture.tree().ListChildren(kBob, list).status()));
}

TEST_CASE("metadata tree renames and moves with name checks, revisions and no cycles",
          "[metadata][tree]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node a = fixture.MustFolder(kAda, root, "a");
  const v1::Node b = fixture.MustFolder(kAda, root, "b");
  const v1::Node inner = fixture.MustFolder(kAda, a, "inner");

  v1::RenameNodeRequest rename;
  rename.set_name(a.name());
  rename.set_name_hmac(NameHmac("b"));
  rename.set_encrypted_attributes("sealed b");
  CHECK(fixture.tree().Rename(kAda, rename, kNow).status().code() ==
        absl::StatusCode::kAlreadyExists);
  rename.set_name_hmac(NameHmac("alpha"));
  rename.set_encrypted_attributes("sealed alpha");
  rename.set_expected_revision(7);
  absl::StatusOr<v1::Node> stale = fixture.tree().Rename(kAda, rename, kNow);
  CHECK(stale.status().code() == absl::StatusCode::kAborted);
  CHECK(kit::DetailsOf(stale.status()).reason() == common::v1::ERROR_REASON_REVISION_MISMATCH);
  rename.set_expected_revision(1);
  absl::StatusOr<v1::Node> renamed = fixture.tree().Rename(kAda, rename, kNow);
  REQUIRE(renamed.ok());
  CHECK(renamed->revision() == 2);
  // The old name is free again.
  fixture.MustFolder(kAda, root, "a");

  // A folder cannot go inside itself.
  absl::StatusOr<v1::Node> loop = fixture.Move(kAda, *renamed, inner, "alpha");
  CHECK(loop.status().code() == absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<v1::Node> moved = fixture.Move(kAda, inner, b, "inner");
  REQUIRE(moved.ok());
  CHECK(moved->parent() == b.name());
  CHECK(moved->wrapped_key() == WrappedKey('m'));
  CHECK(fixture.Children(kAda, b) == std::vector<std::string>{"sealed inner"});
  CHECK(fixture.Children(kAda, *renamed).empty());
  // Into a folder that already has that name: refused, nothing moves.
  fixture.MustFolder(kAda, *renamed, "taken");
  CHECK(fixture.Move(kAda, *moved, *renamed, "taken").status().code() ==
        absl::StatusCode::kAlreadyExists);
  CHECK(fixture.Children(kAda, b) == std::vector<std::string>{"sealed inner"});
}

// A move never puts anything deeper than a create may: the limit holds for what the
// moved folder holds, not only for the folder itself.
TEST_CASE("metadata tree refuses a move that would nest what a folder holds too deep",
          "[metadata][tree]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  // A chain of folders 60 deep, and a folder x holding three levels (x/e1/e2/file).
  v1::Node d59 = root;
  for (int i = 1; i <= 59; ++i) d59 = fixture.MustFolder(kAda, d59, absl::StrCat("d", i));
  const v1::Node deep = fixture.MustFolder(kAda, d59, "d60");
  const v1::Node x = fixture.MustFolder(kAda, root, "x");
  const v1::Node e1 = fixture.MustFolder(kAda, x, "e1");
  const v1::Node e2 = fixture.MustFolder(kAda, e1, "e2");
  fixture.File(kAda, e2, "hi.txt", "blob-1", 3, kNow);
  // Into d60 (depth 60): x at 61, the file at 64, one past the deepest allowed (63).
  const absl::StatusOr<v1::Node> refused = fixture.Move(kAda, x, deep, "x");
  CHECK(refused.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(refused.status().message().find("would lie more than 63 folders below the root") !=
        absl::string_view::npos);
  CHECK(fixture.Children(kAda, deep).empty());
  // One level higher it fits exactly (the file at 63); and back up again.
  const absl::StatusOr<v1::Node> fits = fixture.Move(kAda, x, d59, "x");
  INFO(fits.status().ToString());
  REQUIRE(fits.ok());
  CHECK(fixture.Move(kAda, *fits, root, "x").ok());

  // Made in place: a folder 63 below the root is the deepest, and holds nothing.
  v1::Node d63 = deep;
  for (int i = 61; i <= 63; ++i) d63 = fixture.MustFolder(kAda, d63, absl::StrCat("d", i));
  const absl::StatusOr<v1::Node> below = fixture.Folder(kAda, d63, "d64");
  CHECK(below.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(below.status().message() ==
        absl::StrCat("nothing can go into ", d63.name(),
                     ": it lies 63 folders below the root, and nothing may lie more than 63 "
                     "below it"));
}

TEST_CASE("metadata tree trashes and restores, freeing and reclaiming the name",
          "[metadata][tree]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node docs = fixture.MustFolder(kAda, root, "docs");
  const v1::Node inside = fixture.MustFolder(kAda, docs, "inside");

  absl::StatusOr<v1::Node> trashed = fixture.Trash(kAda, docs);
  REQUIRE(trashed.ok());
  CHECK(trashed->state() == v1::NODE_STATE_TRASHED);
  CHECK(trashed->has_trash_time());
  CHECK(fixture.Children(kAda, root).empty());
  CHECK(fixture.Children(kAda, root, /*show_trashed=*/true) ==
        std::vector<std::string>{"sealed docs"});
  // Its contents count as trashed while it is.
  absl::StatusOr<v1::Node> shown = fixture.tree().Get(kAda, inside.name());
  REQUIRE(shown.ok());
  CHECK(shown->state() == v1::NODE_STATE_TRASHED);
  CHECK(fixture.Restore(kAda, inside).status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(fixture.Folder(kAda, docs, "new").status().code() == absl::StatusCode::kFailedPrecondition);

  // The name is free while it is in the trash; restoring then needs another name.
  const v1::Node replacement = fixture.MustFolder(kAda, root, "docs");
  absl::StatusOr<v1::Node> blocked = fixture.Restore(kAda, docs);
  CHECK(blocked.status().code() == absl::StatusCode::kAlreadyExists);
  CHECK(blocked.status().message().find("another name") != absl::string_view::npos);
  v1::RestoreNodeRequest renamed;
  renamed.set_name(docs.name());
  renamed.set_name_hmac(NameHmac("docs (1)"));
  renamed.set_encrypted_attributes("sealed docs (1)");
  absl::StatusOr<v1::Node> restored = fixture.tree().Restore(kAda, renamed, kNow);
  REQUIRE(restored.ok());
  CHECK(restored->state() == v1::NODE_STATE_ACTIVE);
  CHECK_FALSE(restored->has_trash_time());
  CHECK(fixture.tree().Get(kAda, inside.name())->state() == v1::NODE_STATE_ACTIVE);
  CHECK(fixture.Children(kAda, root) == std::vector<std::string>{"sealed docs", "sealed docs (1)"});
  CHECK(fixture.Restore(kAda, replacement).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  v1::TrashNodeRequest root_trash;
  root_trash.set_name(root.name());
  CHECK(fixture.tree().Trash(kAda, root_trash, kNow).status().code() ==
        absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("metadata tree purges a trashed folder with everything in it, and lists the trash",
          "[metadata][tree]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node old = fixture.MustFolder(kAda, root, "old");
  const v1::Node inner = fixture.MustFolder(kAda, old, "inner");
  fixture.MustFolder(kAda, inner, "deeper");
  const v1::Node keep = fixture.MustFolder(kAda, root, "keep");

  v1::PurgeNodeRequest purge;
  purge.set_name(old.name());
  CHECK(fixture.tree().Purge(kAda, purge, kNow).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  REQUIRE(fixture.Trash(kAda, old).ok());
  REQUIRE(fixture.Trash(kAda, keep).ok());

  v1::ListTrashRequest list;
  list.set_owner("users/me");
  absl::StatusOr<v1::ListTrashResponse> trash = fixture.tree().ListTrash(kAda, list);
  REQUIRE(trash.ok());
  CHECK(trash->nodes_size() == 2);
  list.set_owner("users/someone-else");
  CHECK(fixture.tree().ListTrash(kAda, list).status().code() ==
        absl::StatusCode::kPermissionDenied);

  // Only the owner can purge; another member learns nothing.
  CHECK(absl::IsNotFound(fixture.tree().Purge(kBob, purge, kNow).status()));
  absl::StatusOr<v1::PurgeNodeResponse> purged = fixture.tree().Purge(kAda, purge, kNow);
  REQUIRE(purged.ok());
  CHECK(purged->purged_node_count() == 3);
  CHECK(absl::IsNotFound(fixture.tree().Get(kAda, old.name()).status()));
  CHECK(absl::IsNotFound(fixture.tree().Get(kAda, inner.name()).status()));
  CHECK(fixture.Children(kAda, root, /*show_trashed=*/true) ==
        std::vector<std::string>{"sealed keep"});
  list.set_owner("users/me");
  trash = fixture.tree().ListTrash(kAda, list);
  REQUIRE(trash.ok());
  REQUIRE(trash->nodes_size() == 1);
  CHECK(trash->nodes(0).name() == keep.name());
  // The name "old" is free, and the log's last word on it is PURGED.
  fixture.MustFolder(kAda, root, "old");
  absl::StatusOr<ChangePage> log = fixture.log().List(kAda.user_id, 0, 0);
  REQUIRE(log.ok());
  const auto purged_entry = std::find_if(
      log->changes.begin(), log->changes.end(),
      [](const v1::Change& change) { return change.type() == v1::CHANGE_TYPE_NODE_PURGED; });
  REQUIRE(purged_entry != log->changes.end());
  CHECK(purged_entry->node().name() == old.name());
  CHECK(purged_entry->node().state() == v1::NODE_STATE_PURGED);
}

TEST_CASE("metadata change log numbers every change from 1 and pages through them",
          "[metadata][changes]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node a = fixture.MustFolder(kAda, root, "a");
  const v1::Node b = fixture.MustFolder(kAda, root, "b");
  REQUIRE(fixture.Move(kAda, a, b, "a").ok());
  REQUIRE(fixture.Trash(kAda, b).ok());
  fixture.Root(kBob);

  absl::StatusOr<uint64_t> head = fixture.log().Head(kAda.user_id);
  REQUIRE(head.ok());
  CHECK(*head == 5);
  absl::StatusOr<ChangePage> first = fixture.log().List(kAda.user_id, 0, 3);
  REQUIRE(first.ok());
  REQUIRE(first->changes.size() == 3);
  CHECK(first->has_more);
  CHECK(first->last_sequence == 3);
  CHECK(first->changes[0].sequence() == 1);
  CHECK(first->changes[0].type() == v1::CHANGE_TYPE_NODE_CREATED);
  CHECK(first->changes[0].device_id() == "laptop");
  absl::StatusOr<ChangePage> rest = fixture.log().List(kAda.user_id, first->last_sequence, 3);
  REQUIRE(rest.ok());
  REQUIRE(rest->changes.size() == 2);
  CHECK_FALSE(rest->has_more);
  CHECK(rest->changes[0].type() == v1::CHANGE_TYPE_NODE_MOVED);
  CHECK(rest->changes[0].previous_parent() == root.name());
  CHECK(rest->changes[0].node().parent() == b.name());
  CHECK(rest->changes[1].type() == v1::CHANGE_TYPE_NODE_TRASHED);
  absl::StatusOr<ChangePage> none = fixture.log().List(kAda.user_id, 5, 0);
  REQUIRE(none.ok());
  CHECK(none->changes.empty());
  CHECK(none->last_sequence == 5);
  // Bob's log is his own.
  CHECK(*fixture.log().Head(kBob.user_id) == 1);

  v1::ListChildrenRequest list;
  list.set_parent(root.name());
  absl::StatusOr<ChildPage> page = fixture.tree().ListChildren(kAda, list);
  REQUIRE(page.ok());
  CHECK(page->change_sequence == 5);
}

TEST_CASE("metadata tree lists a large folder page by page, each child once", "[metadata][tree]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  for (int i = 0; i < 25; ++i) fixture.MustFolder(kAda, root, absl::StrCat("f", i));
  v1::ListChildrenRequest request;
  request.set_parent(root.name());
  request.set_page_size(10);
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<ChildPage> page = fixture.tree().ListChildren(kAda, request);
    REQUIRE(page.ok());
    for (const v1::Node& node : page->nodes) seen.push_back(node.encrypted_attributes());
    if (page->next_page_token.empty()) break;
    request.set_page_token(page->next_page_token);
  }
  REQUIRE(seen.size() == 25);
  std::vector<std::string> expected;
  for (int i = 0; i < 25; ++i) expected.push_back(absl::StrCat("sealed f", i));
  std::sort(seen.begin(), seen.end());
  std::sort(expected.begin(), expected.end());
  CHECK(seen == expected);
  request.set_page_token("not-a-token");
  CHECK(fixture.tree().ListChildren(kAda, request).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bitcontent::metadata
