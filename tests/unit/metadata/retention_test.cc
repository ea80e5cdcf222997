// Version retention against a real RocksDB: the count and age limits, the operator's
// defaults and a member's own policy, the bytes given back, and the blob references the
// blob service is told to drop (the outbox the Tree stages them in).
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "services/metadata/records.pb.h"
#include "tests/unit/metadata/tree_fixture.h"

namespace bitcontent::metadata {
namespace {

// The blob reference changes waiting for the blob service, oldest first, as "+blob" for
// an added reference and "-blob" for a removed one.
std::vector<std::string> StagedReferences(const MetadataDb& db) {
  std::vector<std::string> staged;
  for (store::PrefixIterator it = db.store().Scan(db.blob_reference_outbox, {}); it.Valid();
       it.Next()) {
    storage::BlobReferenceChange change;
    REQUIRE(change.ParseFromArray(it.value().data(), static_cast<int>(it.value().size())));
    staged.push_back(absl::StrCat(change.add() ? "+" : "-", change.blob()));
  }
  return staged;
}

std::vector<std::string> VersionBlobs(Tree& tree, const Actor& actor, const v1::Node& file) {
  v1::ListVersionsRequest request;
  request.set_parent(file.name());
  absl::StatusOr<v1::ListVersionsResponse> listed = tree.ListVersions(actor, request);
  INFO(listed.status().ToString());
  REQUIRE(listed.ok());
  std::vector<std::string> blobs;
  for (const v1::Version& version : listed->versions()) blobs.push_back(version.blob());
  return blobs;
}

absl::StatusOr<v1::RetentionPolicy> SetPolicy(Tree& tree, const Actor& actor, uint32_t max_versions,
                                              uint32_t max_age_days,
                                              absl::string_view name = "users/me/retentionPolicy") {
  v1::UpdateRetentionPolicyRequest request;
  request.mutable_retention_policy()->set_name(std::string(name));
  request.mutable_retention_policy()->set_max_versions(max_versions);
  request.mutable_retention_policy()->set_max_age_days(max_age_days);
  return tree.UpdateRetentionPolicy(actor, request, kNow);
}

TEST_CASE("retention starts from the operator's defaults and takes only a valid own policy",
          "[metadata][retention]") {
  Fixture fixture({.max_versions = 7, .max_age_days = 30});
  absl::StatusOr<v1::RetentionPolicy> policy =
      fixture.tree().GetRetentionPolicy(kAda, "users/me/retentionPolicy");
  REQUIRE(policy.ok());
  CHECK(policy->name() == absl::StrCat("users/", kAda.user_id, "/retentionPolicy"));
  CHECK(policy->max_versions() == 7);
  CHECK(policy->max_age_days() == 30);

  CHECK(SetPolicy(fixture.tree(), kAda, 0, 0).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(SetPolicy(fixture.tree(), kAda, 101, 0).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(SetPolicy(fixture.tree(), kAda, 3, Tree::kVersionAgeDaysMax + 1).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(SetPolicy(fixture.tree(), kAda, 3, 0,
                  absl::StrCat("users/", kBob.user_id, "/retentionPolicy"))
            .status()
            .code() == absl::StatusCode::kPermissionDenied);
  CHECK(fixture.tree().GetRetentionPolicy(kAda, "users/me/quota").status().code() ==
        absl::StatusCode::kInvalidArgument);

  REQUIRE(SetPolicy(fixture.tree(), kAda, 3, 0, "").ok());
  policy = fixture.tree().GetRetentionPolicy(kAda, "users/me/retentionPolicy");
  REQUIRE(policy.ok());
  CHECK(policy->max_versions() == 3);
  CHECK(policy->max_age_days() == 0);
  // Another member still has the defaults.
  policy = fixture.tree().GetRetentionPolicy(kBob, "users/me/retentionPolicy");
  REQUIRE(policy.ok());
  CHECK(policy->max_versions() == 7);
}

TEST_CASE("a new version drops the oldest past the member's max_versions and says what it freed",
          "[metadata][retention]") {
  Fixture fixture({.max_versions = 10});
  const v1::Node root = fixture.Root(kAda);
  const v1::Node file = fixture.File(kAda, root, "notes", "blobs/b1", 100, kNow).node();
  REQUIRE(SetPolicy(fixture.tree(), kAda, 2, 0).ok());
  CHECK(fixture.NewVersion(kAda, file, "blobs/b2", 200, kNow).freed_bytes == 0);
  const VersionAdded third = fixture.NewVersion(kAda, file, "blobs/b3", 300, kNow);
  CHECK(third.freed_bytes == 100);
  CHECK(third.made.node().stored_bytes() == 500);
  CHECK(VersionBlobs(fixture.tree(), kAda, file) ==
        std::vector<std::string>{"blobs/b3", "blobs/b2"});
  CHECK(StagedReferences(fixture.db()) ==
        std::vector<std::string>{"+blobs/b1", "+blobs/b2", "+blobs/b3", "-blobs/b1"});
}

TEST_CASE("a writer's new versions push out writers' versions before any of the owner's",
          "[metadata][retention]") {
  Fixture fixture({.max_versions = 10});
  const v1::Node root = fixture.Root(kAda);
  const v1::Node team = fixture.MustFolder(kAda, root, "team");
  fixture.Share(kAda, team, kBob, v1::SHARE_ROLE_WRITER);
  const v1::Node file = fixture.File(kAda, team, "precious", "blobs/ada1", 100, kNow).node();
  REQUIRE(SetPolicy(fixture.tree(), kAda, 3, 0).ok());
  fixture.NewVersion(kAda, file, "blobs/ada2", 100, kNow);
  for (int i = 1; i <= 5; ++i) {
    fixture.NewVersion(kBob, file, absl::StrCat("blobs/junk", i), 10, kNow + absl::Seconds(i));
  }
  // Three kept: the current one and both of Ada's, whatever Bob sent after them.
  CHECK(VersionBlobs(fixture.tree(), kAda, file) ==
        std::vector<std::string>{"blobs/junk5", "blobs/ada2", "blobs/ada1"});
  // Her own new version pushes out Bob's last one too.
  fixture.NewVersion(kAda, file, "blobs/ada3", 100, kNow + absl::Seconds(10));
  CHECK(VersionBlobs(fixture.tree(), kAda, file) ==
        std::vector<std::string>{"blobs/ada3", "blobs/ada2", "blobs/ada1"});
}

TEST_CASE("a lower max_versions drops excess versions of every file at once, never the current",
          "[metadata][retention]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node folder = fixture.MustFolder(kAda, root, "docs");
  const v1::Node a = fixture.File(kAda, root, "a", "blobs/a1", 10, kNow).node();
  const v1::Node b = fixture.File(kAda, folder, "b", "blobs/b1", 1000, kNow).node();
  for (int i = 2; i <= 4; ++i) {
    fixture.NewVersion(kAda, a, absl::StrCat("blobs/a", i), 10, kNow);
    fixture.NewVersion(kAda, b, absl::StrCat("blobs/b", i), 1000, kNow);
  }
  // Bob's file is his own policy's business.
  const v1::Node bob_root = fixture.Root(kBob);
  const v1::Node c = fixture.File(kBob, bob_root, "c", "blobs/c1", 1, kNow).node();
  fixture.NewVersion(kBob, c, "blobs/c2", 1, kNow);

  REQUIRE(SetPolicy(fixture.tree(), kAda, 1, 0).ok());
  absl::StatusOr<VersionsExpired> expired = fixture.tree().ExpireVersions(kAda.user_id, kNow);
  REQUIRE(expired.ok());
  uint64_t freed = 0;
  for (const auto& [version, bytes] : expired->freed) freed += bytes;
  CHECK(expired->freed.size() == 6);
  CHECK(freed == 3 * 10 + 3 * 1000);
  CHECK(VersionBlobs(fixture.tree(), kAda, a) == std::vector<std::string>{"blobs/a4"});
  CHECK(VersionBlobs(fixture.tree(), kAda, b) == std::vector<std::string>{"blobs/b4"});
  CHECK(VersionBlobs(fixture.tree(), kBob, c).size() == 2);
  absl::StatusOr<v1::Node> shown = fixture.tree().Get(kAda, b.name());
  REQUIRE(shown.ok());
  CHECK(shown->stored_bytes() == 1000);
  // Again: nothing more to drop.
  expired = fixture.tree().ExpireVersions(kAda.user_id, kNow);
  REQUIRE(expired.ok());
  CHECK(expired->freed.empty());
}

TEST_CASE("max_age_days drops versions replaced longer ago than that, never the current one",
          "[metadata][retention]") {
  Fixture fixture({.max_versions = 10, .max_age_days = 30});
  const v1::Node root = fixture.Root(kAda);
  const absl::Time long_ago = kNow - absl::Hours(24 * 90);
  const v1::Node old_file = fixture.File(kAda, root, "old", "blobs/o1", 5, long_ago).node();
  fixture.NewVersion(kAda, old_file, "blobs/o2", 5, long_ago);
  // m1 was made 90 days ago but was the file until 10 days ago: the file as it stood 20
  // days ago is m1, so it stays for 20 days more.
  const v1::Node file = fixture.File(kAda, root, "mixed", "blobs/m1", 5, long_ago).node();
  CHECK(fixture.NewVersion(kAda, file, "blobs/m2", 5, kNow - absl::Hours(24 * 10)).freed_bytes ==
        0);
  CHECK(fixture.NewVersion(kAda, file, "blobs/m3", 5, kNow).freed_bytes == 0);

  // Listed versions say when they were replaced and when the age limit takes them.
  v1::ListVersionsRequest list;
  list.set_parent(file.name());
  absl::StatusOr<v1::ListVersionsResponse> listed = fixture.tree().ListVersions(kAda, list);
  REQUIRE(listed.ok());
  REQUIRE(listed->versions_size() == 3);
  CHECK_FALSE(listed->versions(0).has_expire_time());
  CHECK_FALSE(listed->versions(0).has_replace_time());
  CHECK(auth::TimeFromProto(listed->versions(1).replace_time()) == kNow);
  CHECK(auth::TimeFromProto(listed->versions(1).expire_time()) == kNow + absl::Hours(24 * 30));
  CHECK(auth::TimeFromProto(listed->versions(2).expire_time()) == kNow + absl::Hours(24 * 20));

  // The sweep: o1, replaced 90 days ago, goes; the old current o2 stays.
  absl::StatusOr<VersionsExpired> expired = fixture.tree().ExpireVersions(kAda.user_id, kNow);
  REQUIRE(expired.ok());
  REQUIRE(expired->freed.size() == 1);
  CHECK(expired->freed[0].second == 5);
  CHECK(VersionBlobs(fixture.tree(), kAda, old_file) == std::vector<std::string>{"blobs/o2"});
  CHECK(VersionBlobs(fixture.tree(), kAda, file) ==
        std::vector<std::string>{"blobs/m3", "blobs/m2", "blobs/m1"});
  // 21 days on, m1 has been replaced for 31 days.
  expired = fixture.tree().ExpireVersions(kAda.user_id, kNow + absl::Hours(24 * 21));
  REQUIRE(expired.ok());
  CHECK(expired->freed.size() == 1);
  CHECK(VersionBlobs(fixture.tree(), kAda, file) ==
        std::vector<std::string>{"blobs/m3", "blobs/m2"});
}

TEST_CASE("a restored version outlives versions that were replaced before it",
          "[metadata][retention]") {
  Fixture fixture({.max_versions = 3});
  const v1::Node root = fixture.Root(kAda);
  const v1::CommitUploadResponse first =
      fixture.File(kAda, root, "draft", "blobs/d1", 100, kNow - absl::Hours(3));
  const v1::Node& file = first.node();
  fixture.NewVersion(kAda, file, "blobs/d2", 200, kNow - absl::Hours(2));
  fixture.NewVersion(kAda, file, "blobs/d3", 300, kNow - absl::Hours(1));

  // Ada rolls back to the first draft, then saves on top of it.
  v1::RestoreVersionRequest restore;
  restore.set_name(first.version().name());
  absl::StatusOr<v1::Node> restored = fixture.tree().RestoreVersion(kAda, restore, kNow);
  INFO(restored.status().ToString());
  REQUIRE(restored.ok());
  const VersionAdded fourth =
      fixture.NewVersion(kAda, file, "blobs/d4", 400, kNow + absl::Hours(1));

  // Three kept: d4, d1 (current until just now) and d3 (current until the rollback). d2,
  // replaced two hours ago, goes; d1 is the oldest by creation but not the one to drop.
  CHECK(fourth.freed_bytes == 200);
  CHECK(VersionBlobs(fixture.tree(), kAda, file) ==
        std::vector<std::string>{"blobs/d4", "blobs/d3", "blobs/d1"});
}

TEST_CASE("purging a file stages the removal of every version's blob reference",
          "[metadata][retention]") {
  Fixture fixture;
  const v1::Node root = fixture.Root(kAda);
  const v1::Node file = fixture.File(kAda, root, "gone", "blobs/g1", 1, kNow).node();
  fixture.NewVersion(kAda, file, "blobs/g2", 1, kNow);
  REQUIRE(fixture.Trash(kAda, file).ok());
  v1::PurgeNodeRequest purge;
  purge.set_name(file.name());
  REQUIRE(fixture.tree().Purge(kAda, purge, kNow).ok());
  std::vector<std::string> staged = StagedReferences(fixture.db());
  REQUIRE(staged.size() == 4);
  std::sort(staged.begin() + 2, staged.end());
  CHECK(staged == std::vector<std::string>{"+blobs/g1", "+blobs/g2", "-blobs/g1", "-blobs/g2"});
}

}  // namespace
}  // namespace bitcontent::metadata
