// Provider modes on a real RocksDB and two real filesystem providers, "a" read first and
// "b": a READ_ONLY provider receives no new copies but serves reads, DRAINING ones are
// read only when no other copy is good, uploads are refused when no provider is
// READ_WRITE, modes outlive a restart, SetMode refuses what it cannot act on, and a
// scrub with repair drains a provider and counts the chunks each one holds.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "libs/crypto/random.h"
#include "libs/ids/ids.h"
#include "services/blobs/provider_states.h"
#include "services/blobs/scrubber.h"
#include "tests/unit/blobs/blob_store_fixture.h"

namespace bitcontent::blobs {
namespace {

using testing::BlobStoreFixture;
using testing::KeyOf;

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

// Two chunks of 1,000 bytes and a last one of 10.
std::vector<std::string> Chunks() {
  return {crypto::RandomBytes(1000), crypto::RandomBytes(1000), crypto::RandomBytes(10)};
}

absl::Status SetMode(BlobStoreFixture& fixture, absl::string_view name, v1::ProviderMode mode) {
  v1::SetProviderModeRequest request;
  request.set_name(std::string(name));
  request.set_mode(mode);
  return fixture.provider_states().SetMode(request).status();
}

void MustSetMode(BlobStoreFixture& fixture, absl::string_view name, v1::ProviderMode mode) {
  const absl::Status set = SetMode(fixture, name, mode);
  INFO(set.ToString());
  REQUIRE(set.ok());
}

v1::Provider Described(BlobStoreFixture& fixture, size_t index) {
  absl::StatusOr<v1::Provider> provider = fixture.provider_states().Describe(index);
  REQUIRE(provider.ok());
  return *provider;
}

size_t StoredOn(BlobStoreFixture& fixture, absl::string_view provider,
                const std::vector<std::string>& chunks) {
  size_t stored = 0;
  for (const std::string& chunk : chunks) stored += fixture.ChunkFileExists(provider, chunk);
  return stored;
}

TEST_CASE("a READ_ONLY provider receives no new copies and still serves reads",
          "[blobs][providers][modes]") {
  BlobStoreFixture fixture(absl::ZeroDuration(), {"a", "b"});
  const std::vector<std::string> before = Chunks();
  const v1::Blob old_blob = fixture.CommitBlob(ids::NewId(), before, kNow);
  MustSetMode(fixture, "providers/a", v1::PROVIDER_MODE_READ_ONLY);

  const std::vector<std::string> after = Chunks();
  const v1::Blob new_blob = fixture.CommitBlob(ids::NewId(), after, kNow);
  CHECK(StoredOn(fixture, "a", after) == 0);
  CHECK(StoredOn(fixture, "b", after) == after.size());
  // With "b" emptied, the old chunks still read from "a"; the new ones were never there.
  std::filesystem::remove_all(fixture.chunks_dir("b"));
  REQUIRE(std::filesystem::create_directories(fixture.chunks_dir("b")));
  CHECK(fixture.reader().Read(old_blob, 0).value_or(Chunk()).data == before[0]);
  CHECK(absl::IsDataLoss(fixture.reader().Read(new_blob, 0).status()));
}

TEST_CASE("uploads are refused while no provider is READ_WRITE, and resume after",
          "[blobs][providers][modes]") {
  BlobStoreFixture fixture(absl::ZeroDuration(), {"a", "b"});
  MustSetMode(fixture, "providers/a", v1::PROVIDER_MODE_READ_ONLY);
  MustSetMode(fixture, "providers/b", v1::PROVIDER_MODE_DRAINING);
  const std::string chunk = crypto::RandomBytes(100);
  const absl::Status refused = fixture.placement().Put(KeyOf(chunk), chunk, nullptr);
  CHECK(absl::IsUnavailable(refused));
  CHECK_THAT(std::string(refused.message()), Catch::Contains("no provider takes new copies"));
  MustSetMode(fixture, "providers/b", v1::PROVIDER_MODE_READ_WRITE);
  CHECK(fixture.placement().Put(KeyOf(chunk), chunk, nullptr).ok());
  CHECK(fixture.ChunkFileExists("b", chunk));
  CHECK_FALSE(fixture.ChunkFileExists("a", chunk));
}

TEST_CASE("a DRAINING provider is read only when no other provider has a good copy",
          "[blobs][providers][modes]") {
  BlobStoreFixture fixture(absl::ZeroDuration(), {"a", "b"});
  const std::string chunk = crypto::RandomBytes(100);
  const std::string key = KeyOf(chunk);
  REQUIRE(fixture.placement().Put(key, chunk, nullptr).ok());
  MustSetMode(fixture, "providers/a", v1::PROVIDER_MODE_DRAINING);
  Provider& a = *fixture.placement().providers()[0].provider;
  Provider& b = *fixture.placement().providers()[1].provider;
  // Other bytes on "a" under the key: an unchecked read, which takes the first copy that
  // reads, goes to "b" first now.
  REQUIRE(a.Delete(key).ok());
  REQUIRE(a.Put(key, "not the chunk", nullptr).ok());
  CHECK(fixture.placement().GetUnchecked(key).value_or(std::string()) == chunk);
  // With "b" lacking the chunk, the draining provider is the last resort.
  REQUIRE(a.Delete(key).ok());
  REQUIRE(a.Put(key, chunk, nullptr).ok());
  REQUIRE(b.Delete(key).ok());
  CHECK(fixture.placement().Get(key).value_or(std::string()) == chunk);
  CHECK(fixture.placement().Size(key).value_or(0) == chunk.size());
}

TEST_CASE("SetMode refuses malformed names, unknown providers and unspecified modes",
          "[blobs][providers][modes]") {
  BlobStoreFixture fixture(absl::ZeroDuration(), {"a", "b"});
  for (const char* name : {"", "a", "providers/", "providers/a/b", "provider/a"}) {
    INFO(name);
    const absl::Status refused = SetMode(fixture, name, v1::PROVIDER_MODE_READ_ONLY);
    CHECK(absl::IsInvalidArgument(refused));
    CHECK_THAT(std::string(refused.message()), Catch::Contains("providers/{provider}"));
  }
  const absl::Status unknown = SetMode(fixture, "providers/c", v1::PROVIDER_MODE_READ_ONLY);
  CHECK(absl::IsNotFound(unknown));
  CHECK_THAT(std::string(unknown.message()), Catch::Contains("providers/a, providers/b"));
  for (int mode : {0, 7}) {
    const absl::Status refused =
        SetMode(fixture, "providers/a", static_cast<v1::ProviderMode>(mode));
    CHECK(absl::IsInvalidArgument(refused));
    CHECK_THAT(std::string(refused.message()), Catch::Contains("PROVIDER_MODE_DRAINING"));
  }
  CHECK(fixture.placement().modes() ==
        std::vector<v1::ProviderMode>(2, v1::PROVIDER_MODE_READ_WRITE));
}

TEST_CASE("modes outlive a restart", "[blobs][providers][modes]") {
  BlobStoreFixture fixture(absl::ZeroDuration(), {"a", "b"});
  MustSetMode(fixture, "providers/b", v1::PROVIDER_MODE_DRAINING);
  CHECK(Described(fixture, 1).mode() == v1::PROVIDER_MODE_DRAINING);
  CHECK(Described(fixture, 1).name() == "providers/b");

  std::unique_ptr<Placement> restarted = fixture.OpenPlacement();
  CHECK(restarted->modes()[1] == v1::PROVIDER_MODE_READ_WRITE);
  ProviderStates states(fixture.db(), restarted.get());
  REQUIRE(states.Load().ok());
  CHECK(restarted->modes() ==
        std::vector<v1::ProviderMode>{v1::PROVIDER_MODE_READ_WRITE, v1::PROVIDER_MODE_DRAINING});
}

TEST_CASE("a scrub with repair drains a provider onto the READ_WRITE ones",
          "[blobs][providers][modes][scrub]") {
  BlobStoreFixture fixture(absl::ZeroDuration(), {"a", "b"});
  // Chunks only "a" holds: uploaded while "b" was READ_ONLY.
  MustSetMode(fixture, "providers/b", v1::PROVIDER_MODE_READ_ONLY);
  const std::vector<std::string> chunks = Chunks();
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), chunks, kNow);
  // Nothing is missing from a READ_ONLY provider, which is not to receive copies.
  v1::ScrubRun run = fixture.scrubber().Run({}, kNow);
  CHECK(run.checked_chunk_count() == 3);
  CHECK(run.missing_copy_count() == 0);
  CHECK(Described(fixture, 0).chunk_count() == 3);
  CHECK(Described(fixture, 0).stored_bytes() == 2010);
  CHECK(Described(fixture, 1).chunk_count() == 0);

  MustSetMode(fixture, "providers/b", v1::PROVIDER_MODE_READ_WRITE);
  MustSetMode(fixture, "providers/a", v1::PROVIDER_MODE_DRAINING);
  v1::StartScrubRequest repair;
  repair.set_repair(true);
  run = fixture.scrubber().Run(repair, kNow);
  CHECK(run.missing_copy_count() == 3);
  CHECK(run.repaired_copy_count() == 3);
  CHECK(run.lost_chunk_count() == 0);
  CHECK(StoredOn(fixture, "b", chunks) == 3);
  CHECK(Described(fixture, 0).chunk_count() == 0);
  CHECK(Described(fixture, 0).stored_bytes() == 0);
  CHECK(Described(fixture, 1).chunk_count() == 3);
  CHECK(Described(fixture, 1).stored_bytes() == 2010);

  // The drained provider gone, the blob reads whole.
  std::filesystem::remove_all(fixture.chunks_dir("a"));
  for (uint32_t i = 0; i < chunks.size(); ++i) {
    CHECK(fixture.reader().Read(blob, i).value_or(Chunk()).data == chunks[i]);
  }
}

TEST_CASE("a draining provider still counts the chunks no READ_WRITE provider has yet",
          "[blobs][providers][modes][scrub]") {
  BlobStoreFixture fixture(absl::ZeroDuration(), {"a", "b"});
  MustSetMode(fixture, "providers/b", v1::PROVIDER_MODE_READ_ONLY);
  fixture.CommitBlob(ids::NewId(), Chunks(), kNow);
  MustSetMode(fixture, "providers/b", v1::PROVIDER_MODE_READ_WRITE);
  MustSetMode(fixture, "providers/a", v1::PROVIDER_MODE_DRAINING);
  // A report only: nothing moves, so the index still needs every chunk on "a".
  const v1::ScrubRun run = fixture.scrubber().Run({}, kNow);
  CHECK(run.missing_copy_count() == 3);
  CHECK(run.repaired_copy_count() == 0);
  CHECK(Described(fixture, 0).chunk_count() == 3);
  CHECK(Described(fixture, 0).mode() == v1::PROVIDER_MODE_DRAINING);
}

}  // namespace
}  // namespace bitcontent::blobs
