// What other services ask the metadata tree (MetadataInternalService): a node without
// access checks, a member's role on it, and the price flag pricing keeps in step.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "libs/kit/error_details.h"
#include "tests/unit/metadata/tree_fixture.h"

namespace bitcontent::metadata {
namespace {

const Actor kCarol{.user_id = "01HXCAR0000000000000000000", .device_id = "tablet"};

// The changes in `actor`'s log after `since`.
std::vector<v1::Change> ChangesOf(Fixture& fixture, const Actor& actor, uint64_t since) {
  absl::StatusOr<ChangePage> page = fixture.log().List(actor.user_id, since, 0);
  REQUIRE(page.ok());
  return page->changes;
}

TEST_CASE("metadata lookup returns any member's node with its owner, uploader and price flag",
          "[metadata][internal]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node music = fixture.MustFolder(kAda, root, "music");
  const v1::Node song = fixture.File(kAda, music, "song", "blobs/b1", 100, kNow).node();

  absl::StatusOr<v1::Node> found = fixture.tree().Lookup(song.name());
  INFO(found.status().ToString());
  REQUIRE(found.ok());
  CHECK(found->owner() == "users/01HXADA0000000000000000000");
  CHECK(found->head_version().creator() == "users/01HXADA0000000000000000000");
  CHECK(found->head_version().blob() == "blobs/b1");
  CHECK_FALSE(found->priced());
  CHECK(found->state() == v1::NODE_STATE_ACTIVE);
  // Nobody's view: a service asks, not a member.
  CHECK(found->access_role() == v1::ACCESS_ROLE_UNSPECIFIED);

  // A file under a trashed folder is shown trashed, as its owner would see it.
  REQUIRE(fixture.Trash(kAda, music).ok());
  found = fixture.tree().Lookup(song.name());
  REQUIRE(found.ok());
  CHECK(found->state() == v1::NODE_STATE_TRASHED);

  // Purged: gone.
  v1::PurgeNodeRequest purge;
  purge.set_name(music.name());
  REQUIRE(fixture.tree().Purge(kAda, purge, kNow).ok());
  CHECK(absl::IsNotFound(fixture.tree().Lookup(song.name()).status()));

  CHECK(absl::IsNotFound(fixture.tree().Lookup("nodes/01HXNNNN000000000000000000").status()));
  absl::StatusOr<v1::Node> bad = fixture.tree().Lookup("files/x");
  CHECK(bad.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(bad.status().message().find("name") != absl::string_view::npos);
}

TEST_CASE("metadata access check says owner, the highest role its shares give, or nothing",
          "[metadata][internal]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node team = fixture.MustFolder(kAda, root, "team");
  const v1::Node drafts = fixture.MustFolder(kAda, team, "drafts");
  const v1::Node draft = fixture.File(kAda, drafts, "draft", "blobs/b1", 10, kNow).node();
  fixture.Share(kAda, team, kBob, v1::SHARE_ROLE_READER);
  fixture.Share(kAda, drafts, kBob, v1::SHARE_ROLE_WRITER);
  fixture.Share(kAda, team, kCarol, v1::SHARE_ROLE_READER);
  // Dan writes in all of team: a read share of drafts inside it takes nothing away.
  const Actor dan{.user_id = "01HXDAN0000000000000000000"};
  fixture.Share(kAda, team, dan, v1::SHARE_ROLE_WRITER);
  fixture.Share(kAda, drafts, dan, v1::SHARE_ROLE_READER);

  const auto role = [&](const v1::Node& node, const Actor& actor) {
    absl::StatusOr<v1::AccessRole> found = fixture.tree().AccessOf(node.name(), actor.user_id);
    INFO(found.status().ToString());
    REQUIRE(found.ok());
    return *found;
  };
  CHECK(role(draft, kAda) == v1::ACCESS_ROLE_OWNER);
  CHECK(role(draft, kBob) == v1::ACCESS_ROLE_WRITER);  // drafts' share adds to team's.
  CHECK(role(draft, dan) == v1::ACCESS_ROLE_WRITER);
  CHECK(role(drafts, dan) == v1::ACCESS_ROLE_WRITER);
  CHECK(role(team, kBob) == v1::ACCESS_ROLE_READER);
  CHECK(role(draft, kCarol) == v1::ACCESS_ROLE_READER);
  CHECK(role(root, kCarol) == v1::ACCESS_ROLE_UNSPECIFIED);
  const Actor stranger{.user_id = "01HXSTRANGER00000000000000"};
  CHECK(role(draft, stranger) == v1::ACCESS_ROLE_UNSPECIFIED);

  CHECK(absl::IsNotFound(
      fixture.tree().AccessOf("nodes/01HXNNNN000000000000000000", kAda.user_id).status()));
  CHECK(fixture.tree().AccessOf("nodes/", kAda.user_id).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("metadata price flag is set and cleared once, logged for the owner and share members",
          "[metadata][internal]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node shop = fixture.MustFolder(kAda, root, "shop");
  const v1::Node album = fixture.File(kAda, shop, "album", "blobs/b1", 100, kNow).node();
  fixture.Share(kAda, shop, kBob, v1::SHARE_ROLE_READER);
  absl::StatusOr<uint64_t> ada_head = fixture.log().Head(kAda.user_id);
  absl::StatusOr<uint64_t> bob_head = fixture.log().Head(kBob.user_id);
  REQUIRE(ada_head.ok());
  REQUIRE(bob_head.ok());

  const absl::Time later = kNow + absl::Minutes(5);
  absl::StatusOr<v1::Node> priced = fixture.tree().SetPriced(album.name(), true, later);
  INFO(priced.status().ToString());
  REQUIRE(priced.ok());
  CHECK(priced->priced());
  CHECK(priced->revision() == album.revision() + 1);
  absl::StatusOr<v1::Node> looked = fixture.tree().Lookup(album.name());
  REQUIRE(looked.ok());
  CHECK(looked->priced());
  // The owner sees it in their own tree too.
  absl::StatusOr<v1::Node> owned = fixture.tree().Get(kAda, album.name());
  REQUIRE(owned.ok());
  CHECK(owned->priced());

  std::vector<v1::Change> ada = ChangesOf(fixture, kAda, *ada_head);
  REQUIRE(ada.size() == 1);
  CHECK(ada[0].type() == v1::CHANGE_TYPE_PRICING_CHANGED);
  CHECK(ada[0].node().name() == album.name());
  CHECK(ada[0].node().priced());
  CHECK(ada[0].actor() == "users/01HXADA0000000000000000000");
  std::vector<v1::Change> bob = ChangesOf(fixture, kBob, *bob_head);
  REQUIRE(bob.size() == 1);
  CHECK(bob[0].type() == v1::CHANGE_TYPE_PRICING_CHANGED);
  CHECK(bob[0].node().access_role() == v1::ACCESS_ROLE_READER);

  // Again: nothing changes, nothing is logged (pricing may retry).
  absl::StatusOr<v1::Node> again = fixture.tree().SetPriced(album.name(), true, later);
  REQUIRE(again.ok());
  CHECK(again->revision() == priced->revision());
  CHECK(ChangesOf(fixture, kAda, *ada_head).size() == 1);

  absl::StatusOr<v1::Node> cleared = fixture.tree().SetPriced(album.name(), false, later);
  REQUIRE(cleared.ok());
  CHECK_FALSE(cleared->priced());
  ada = ChangesOf(fixture, kAda, *ada_head);
  REQUIRE(ada.size() == 2);
  CHECK(ada[1].type() == v1::CHANGE_TYPE_PRICING_CHANGED);
  CHECK_FALSE(ada[1].node().priced());
}

TEST_CASE("metadata price flag refuses folders, unknown nodes and bad names",
          "[metadata][internal]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node shop = fixture.MustFolder(kAda, root, "shop");
  absl::StatusOr<v1::Node> folder = fixture.tree().SetPriced(shop.name(), true, kNow);
  CHECK(folder.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(folder.status().message().find("only files can be priced") != absl::string_view::npos);
  CHECK(absl::IsNotFound(
      fixture.tree().SetPriced("nodes/01HXNNNN000000000000000000", true, kNow).status()));
  CHECK(fixture.tree().SetPriced("shop", true, kNow).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bitcontent::metadata
