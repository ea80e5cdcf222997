// Blob references on a real RocksDB: each version counted once, removals idempotent,
// the last removal recorded as the start of the grace, malformed names and unknown
// blobs refused, concurrent calls counted right.
#include "services/blobs/blob_references.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/crypto/random.h"
#include "libs/ids/ids.h"
#include "libs/store/key_encoding.h"
#include "tests/unit/blobs/blob_store_fixture.h"

namespace bitcontent::blobs {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

std::string VersionName() {
  return absl::StrCat("nodes/", ids::NewId(), "/versions/", ids::NewId());
}

// When the blob has been unreferenced since, or nullopt when it is referenced.
std::optional<absl::Time> UnreferencedSince(const BlobsDb& db, const v1::Blob& blob) {
  absl::StatusOr<std::string> since =
      db.store().Get(db.unreferenced, store::KeyView(blob.name().substr(6)));
  if (absl::IsNotFound(since.status())) return std::nullopt;
  REQUIRE(since.ok());
  return BlobsDb::DecodeSince(*since);
}

TEST_CASE("blob references count each version once and the last removal starts the grace",
          "[blobs][references]") {
  testing::BlobStoreFixture fixture;
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), {crypto::RandomBytes(100)}, kNow);
  CHECK(blob.reference_count() == 0);
  CHECK(UnreferencedSince(fixture.db(), blob) == kNow);  // Since its commit.

  const std::string first = VersionName();
  const std::string second = VersionName();
  absl::StatusOr<v1::Blob> counted = fixture.references().Add(blob.name(), first);
  REQUIRE(counted.ok());
  CHECK(counted->reference_count() == 1);
  CHECK(counted->state() == v1::BLOB_STATE_ACTIVE);
  CHECK_FALSE(UnreferencedSince(fixture.db(), blob).has_value());
  // Sent again (metadata's outbox after a crash): counted once.
  CHECK(fixture.references().Add(blob.name(), first)->reference_count() == 1);
  CHECK(fixture.references().Add(blob.name(), second)->reference_count() == 2);
  CHECK(fixture.reader().Get(blob.name().substr(6))->reference_count() == 2);

  const absl::Time later = kNow + absl::Hours(5);
  CHECK(fixture.references().Remove(blob.name(), first, later)->reference_count() == 1);
  CHECK(fixture.references().Remove(blob.name(), first, later)->reference_count() == 1);
  CHECK(fixture.references().Remove(blob.name(), VersionName(), later)->reference_count() == 1);
  CHECK_FALSE(UnreferencedSince(fixture.db(), blob).has_value());

  counted = fixture.references().Remove(blob.name(), second, later);
  REQUIRE(counted.ok());
  CHECK(counted->reference_count() == 0);
  CHECK(counted->state() == v1::BLOB_STATE_UNREFERENCED);
  CHECK(UnreferencedSince(fixture.db(), blob) == later);
  // Removing again neither counts below zero nor restarts the grace.
  counted = fixture.references().Remove(blob.name(), second, later + absl::Hours(1));
  REQUIRE(counted.ok());
  CHECK(counted->reference_count() == 0);
  CHECK(UnreferencedSince(fixture.db(), blob) == later);

  // Added back (a copy, a restore): referenced again.
  CHECK(fixture.references().Add(blob.name(), second)->reference_count() == 1);
  CHECK(fixture.reader().Get(blob.name().substr(6))->state() == v1::BLOB_STATE_ACTIVE);
  CHECK_FALSE(UnreferencedSince(fixture.db(), blob).has_value());
}

TEST_CASE("blob references refuse malformed names and unknown blobs", "[blobs][references]") {
  testing::BlobStoreFixture fixture;
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), {crypto::RandomBytes(100)}, kNow);
  const std::string id = ids::NewId();
  for (const std::string& reference :
       {std::string(""), absl::StrCat("nodes/", id), absl::StrCat("nodes/", id, "/versions/"),
        absl::StrCat("nodes/", id, "/versions/", id, "/x"),
        absl::StrCat("files/", id, "/versions/", id), absl::StrCat("nodes/", id, "/versions/abc"),
        absl::StrCat("nodes/x", id, "/versions/", id)}) {
    INFO(reference);
    CHECK(fixture.references().Add(blob.name(), reference).status().code() ==
          absl::StatusCode::kInvalidArgument);
    CHECK(fixture.references().Remove(blob.name(), reference, kNow).status().code() ==
          absl::StatusCode::kInvalidArgument);
  }
  for (const std::string& name : {std::string("blobs/"), std::string("blob/") + id,
                                  blob.name().substr(6), absl::StrCat(blob.name(), "/x")}) {
    INFO(name);
    CHECK(fixture.references().Add(name, VersionName()).status().code() ==
          absl::StatusCode::kInvalidArgument);
  }
  CHECK(fixture.reader().Get(blob.name().substr(6))->reference_count() == 0);

  // A well-formed name no commit made.
  const std::string unknown = absl::StrCat("blobs/", ids::NewId());
  absl::StatusOr<v1::Blob> added = fixture.references().Add(unknown, VersionName());
  CHECK(added.status().code() == absl::StatusCode::kNotFound);
  CHECK(added.status().message().find(unknown) != absl::string_view::npos);
  CHECK(fixture.references().Remove(unknown, VersionName(), kNow).status().code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("blob references count concurrent additions and removals right", "[blobs][references]") {
  testing::BlobStoreFixture fixture;
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), {crypto::RandomBytes(100)}, kNow);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20;
  std::vector<std::vector<std::string>> names(kThreads);
  for (auto& mine : names) {
    for (int i = 0; i < kPerThread; ++i) mine.push_back(VersionName());
  }
  // Catch's assertions are not thread-safe: the threads count their failures instead.
  std::atomic<int> failures = 0;
  const auto each_thread = [&](const auto& work) {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) threads.emplace_back([&, t] { work(t); });
    for (std::thread& thread : threads) thread.join();
  };
  // Every thread adds its own references twice, and the first of its neighbour's.
  each_thread([&](int t) {
    for (int round = 0; round < 2; ++round) {
      for (const std::string& name : names[t]) {
        if (!fixture.references().Add(blob.name(), name).ok()) ++failures;
      }
    }
    if (!fixture.references().Add(blob.name(), names[(t + 1) % kThreads][0]).ok()) ++failures;
  });
  CHECK(failures == 0);
  CHECK(fixture.reader().Get(blob.name().substr(6))->reference_count() == kThreads * kPerThread);

  // Every thread removes its own twice, and the first of its neighbour's.
  each_thread([&](int t) {
    for (const std::string& name : names[t]) {
      if (!fixture.references().Remove(blob.name(), name, kNow).ok()) ++failures;
      if (!fixture.references().Remove(blob.name(), name, kNow).ok()) ++failures;
    }
    if (!fixture.references().Remove(blob.name(), names[(t + 1) % kThreads][0], kNow).ok()) {
      ++failures;
    }
  });
  CHECK(failures == 0);
  const absl::StatusOr<v1::Blob> left = fixture.reader().Get(blob.name().substr(6));
  REQUIRE(left.ok());
  CHECK(left->reference_count() == 0);
  CHECK(left->state() == v1::BLOB_STATE_UNREFERENCED);
  CHECK(UnreferencedSince(fixture.db(), blob) == kNow);
}

}  // namespace
}  // namespace bitcontent::blobs
