// Garbage collection on a real RocksDB and a real filesystem provider: unreferenced
// blobs collected once past the grace and not before, referenced ones never, shared
// chunks kept, dry runs deleting nothing, deletions a crashed run left finished, and
// the periodic loop. Each test looks at the chunks on the provider and on disk.
#include "services/blobs/garbage_collector.h"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/crypto/random.h"
#include "libs/ids/ids.h"
#include "libs/store/key_encoding.h"
#include "services/blobs/garbage_collection_loop.h"
#include "services/blobs/scrubber.h"
#include "tests/unit/blobs/blob_store_fixture.h"

namespace bitcontent::blobs {
namespace {

using testing::BlobStoreFixture;
using testing::KeyOf;

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

std::string VersionName() {
  return absl::StrCat("nodes/", ids::NewId(), "/versions/", ids::NewId());
}

// Three chunks of 1,000 bytes and a last one of 10: 3,010 bytes.
std::vector<std::string> Chunks() {
  std::vector<std::string> chunks;
  for (int i = 0; i < 3; ++i) chunks.push_back(crypto::RandomBytes(1000));
  chunks.push_back(crypto::RandomBytes(10));
  return chunks;
}

std::string IdOf(const v1::Blob& blob) { return blob.name().substr(blob.name().rfind('/') + 1); }

// Whether the provider still has every one of `chunks`, checked on the provider and on
// disk; both must agree.
bool AllStored(BlobStoreFixture& fixture, const std::vector<std::string>& chunks) {
  bool stored = true;
  for (const std::string& chunk : chunks) {
    const absl::StatusOr<ObjectBytes> read = fixture.provider().Get(KeyOf(chunk));
    INFO(read.status().ToString());
    CHECK((read.ok() && *read == chunk) == fixture.ChunkFileExists(chunk));
    stored = stored && read.ok();
  }
  return stored;
}

// Whether the provider has none of `chunks` (NOT_FOUND, and no file).
bool NoneStored(BlobStoreFixture& fixture, const std::vector<std::string>& chunks) {
  bool gone = true;
  for (const std::string& chunk : chunks) {
    gone = gone && absl::IsNotFound(fixture.provider().Get(KeyOf(chunk)).status()) &&
           !fixture.ChunkFileExists(chunk);
  }
  return gone;
}

// Chunk `index` of the blob with id `blob_id`, as a reader gets it; empty when it cannot.
std::string ReadChunk(BlobStoreFixture& fixture, absl::string_view blob_id, uint32_t index) {
  const absl::StatusOr<v1::Blob> blob = fixture.reader().Get(blob_id);
  INFO(blob.status().ToString());
  CHECK(blob.ok());
  if (!blob.ok()) return "";
  absl::StatusOr<Chunk> chunk = fixture.reader().Read(*blob, index);
  INFO(chunk.status().ToString());
  CHECK(chunk.ok());
  return chunk.ok() ? std::string(chunk->data.view()) : "";
}

v1::GarbageCollectionRun MustRun(BlobStoreFixture& fixture, bool dry_run, absl::Time now) {
  v1::GarbageCollectionRun run = fixture.collector().Run(dry_run, now);
  INFO(run.error());
  REQUIRE(run.state() == v1::RUN_STATE_SUCCEEDED);
  return run;
}

TEST_CASE("a committed blob no version refers to is collected once past the grace and not before",
          "[blobs][garbage]") {
  BlobStoreFixture fixture(absl::Hours(1));
  const std::vector<std::string> chunks = Chunks();
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), chunks, kNow);

  v1::GarbageCollectionRun run = MustRun(fixture, false, kNow + absl::Minutes(59));
  CHECK(run.collected_blob_count() == 0);
  CHECK(run.deleted_chunk_count() == 0);
  CHECK(AllStored(fixture, chunks));
  CHECK(fixture.reader().Get(IdOf(blob)).ok());

  run = MustRun(fixture, false, kNow + absl::Hours(1));
  CHECK(run.collected_blob_count() == 1);
  CHECK(run.deleted_chunk_count() == 4);
  CHECK(run.freed_bytes() == 3010);
  CHECK(NoneStored(fixture, chunks));
  CHECK(absl::IsNotFound(fixture.reader().Get(IdOf(blob)).status()));
  // Too late to refer to it; committing its session again says it is gone.
  CHECK(absl::IsNotFound(fixture.references().Add(blob.name(), VersionName()).status()));
  CHECK(absl::IsNotFound(
      fixture.sessions().Commit(blob.upload_session().substr(15), kNow + absl::Hours(1)).status()));
  // Nothing is left for the scrubber to miss, nor for the next run to do.
  const v1::ScrubRun scrub =
      Scrubber(fixture.db(), &fixture.placement(), &fixture.provider_states())
          .Run({}, kNow + absl::Hours(1));
  CHECK(scrub.checked_chunk_count() == 0);
  CHECK(scrub.missing_copy_count() == 0);
  run = MustRun(fixture, false, kNow + absl::Hours(2));
  CHECK(run.collected_blob_count() == 0);
  CHECK(run.deleted_chunk_count() == 0);
}

TEST_CASE("a referenced blob is never collected", "[blobs][garbage]") {
  BlobStoreFixture fixture;  // No grace at all.
  const std::vector<std::string> chunks = Chunks();
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), chunks, kNow);
  REQUIRE(fixture.references().Add(blob.name(), VersionName()).ok());
  // A reference removed while another remains keeps it referenced too.
  const std::string copy = VersionName();
  REQUIRE(fixture.references().Add(blob.name(), copy).ok());
  REQUIRE(fixture.references().Remove(blob.name(), copy, kNow).ok());

  const v1::GarbageCollectionRun run = MustRun(fixture, false, kNow + absl::Hours(24 * 1000));
  CHECK(run.collected_blob_count() == 0);
  CHECK(run.deleted_chunk_count() == 0);
  CHECK(AllStored(fixture, chunks));
  for (uint32_t index = 0; index < chunks.size(); ++index) {
    CHECK(ReadChunk(fixture, IdOf(blob), index) == chunks[index]);
  }
}

TEST_CASE("removing the last reference makes a blob collectable after the grace",
          "[blobs][garbage]") {
  BlobStoreFixture fixture(absl::Hours(1));
  const std::vector<std::string> chunks = Chunks();
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), chunks, kNow);
  const std::string version = VersionName();
  REQUIRE(fixture.references().Add(blob.name(), version).ok());
  const absl::Time removed = kNow + absl::Hours(5);
  REQUIRE(fixture.references().Remove(blob.name(), version, removed).ok());

  // The grace counts from the removal, not from the commit.
  CHECK(MustRun(fixture, false, removed + absl::Minutes(59)).collected_blob_count() == 0);
  CHECK(AllStored(fixture, chunks));
  const v1::GarbageCollectionRun run = MustRun(fixture, false, removed + absl::Hours(1));
  CHECK(run.collected_blob_count() == 1);
  CHECK(run.deleted_chunk_count() == 4);
  CHECK(run.freed_bytes() == 3010);
  CHECK(NoneStored(fixture, chunks));
}

TEST_CASE("garbage collection keeps a blob whose index says it is referenced and unreferenced",
          "[blobs][garbage]") {
  BlobStoreFixture fixture;
  const std::vector<std::string> chunks = Chunks();
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), chunks, kNow);
  REQUIRE(fixture.references().Add(blob.name(), VersionName()).ok());
  // Damage: an `unreferenced` entry beside a counted reference (Add removes it).
  REQUIRE(fixture.db()
              .store()
              .Put(fixture.db().unreferenced, store::KeyView(IdOf(blob)),
                   BlobsDb::EncodeSince(kNow), {.sync = true})
              .ok());
  const v1::GarbageCollectionRun run = MustRun(fixture, false, kNow + absl::Hours(48));
  CHECK(run.collected_blob_count() == 0);
  CHECK(run.deleted_chunk_count() == 0);
  CHECK(AllStored(fixture, chunks));
  CHECK(ReadChunk(fixture, IdOf(blob), 0) == chunks[0]);
}

TEST_CASE("a reference removed and added back within the grace keeps its blob",
          "[blobs][garbage]") {
  BlobStoreFixture fixture(absl::Hours(1));
  const std::vector<std::string> chunks = Chunks();
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), chunks, kNow);
  const std::string version = VersionName();
  REQUIRE(fixture.references().Add(blob.name(), version).ok());
  REQUIRE(fixture.references().Remove(blob.name(), version, kNow).ok());
  // A run within the grace, between the removal and the addition, keeps it.
  CHECK(MustRun(fixture, false, kNow + absl::Minutes(30)).collected_blob_count() == 0);
  REQUIRE(fixture.references().Add(blob.name(), VersionName()).ok());

  CHECK(MustRun(fixture, false, kNow + absl::Hours(48)).collected_blob_count() == 0);
  CHECK(AllStored(fixture, chunks));
}

TEST_CASE("a chunk shared by two blobs survives collection of one", "[blobs][garbage]") {
  BlobStoreFixture fixture;
  // Both blobs hold `shared` (the same ciphertext uploaded twice) and one chunk of
  // their own.
  const std::string shared = crypto::RandomBytes(1000);
  const std::string only_first = crypto::RandomBytes(10);
  const std::string only_second = crypto::RandomBytes(20);
  const v1::Blob first = fixture.CommitBlob(ids::NewId(), {shared, only_first}, kNow);
  const v1::Blob second = fixture.CommitBlob(ids::NewId(), {shared, only_second}, kNow);
  // And a third blob shares a chunk with an upload still open.
  const std::string in_upload = crypto::RandomBytes(1000);
  const v1::Blob third =
      fixture.CommitBlob(ids::NewId(), {in_upload, crypto::RandomBytes(5)}, kNow);
  const std::string open_session = ids::NewId();
  REQUIRE(fixture.sessions()
              .Begin(open_session, 2000,
                     {.chunk_count = 2, .chunk_size_bytes = 1000, .last_chunk_size_bytes = 1000},
                     kNow)
              .ok());
  REQUIRE(
      fixture.sessions().Put(open_session, 0, crypto::Blake2b256(in_upload), in_upload, kNow).ok());
  const std::string version = VersionName();
  REQUIRE(fixture.references().Add(second.name(), version).ok());

  v1::GarbageCollectionRun run = MustRun(fixture, false, kNow);
  CHECK(run.collected_blob_count() == 2);  // The first and the third.
  CHECK(run.deleted_chunk_count() == 2);   // Their own last chunks.
  CHECK(run.freed_bytes() == 15);
  CHECK(NoneStored(fixture, {only_first}));
  CHECK(AllStored(fixture, {shared, only_second, in_upload}));
  CHECK(ReadChunk(fixture, IdOf(second), 0) == shared);
  CHECK(ReadChunk(fixture, IdOf(second), 1) == only_second);
  CHECK(absl::IsNotFound(fixture.reader().Get(IdOf(first)).status()));
  CHECK(absl::IsNotFound(fixture.reader().Get(IdOf(third)).status()));

  // Once the second goes too, so does the chunk they shared.
  REQUIRE(fixture.references().Remove(second.name(), version, kNow).ok());
  run = MustRun(fixture, false, kNow);
  CHECK(run.collected_blob_count() == 1);
  CHECK(run.deleted_chunk_count() == 2);
  CHECK(run.freed_bytes() == 1020);
  CHECK(NoneStored(fixture, {shared, only_second}));
  CHECK(AllStored(fixture, {in_upload}));  // Still in the open upload.
}

TEST_CASE("a garbage collection dry run counts what it would delete and deletes nothing",
          "[blobs][garbage]") {
  BlobStoreFixture fixture;
  const std::vector<std::string> chunks = Chunks();
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), chunks, kNow);
  // And an aborted upload with one chunk of its own.
  const std::string aborted = ids::NewId();
  const std::string lone = crypto::RandomBytes(7);
  REQUIRE(fixture.sessions()
              .Begin(aborted, 7,
                     {.chunk_count = 1, .chunk_size_bytes = 7, .last_chunk_size_bytes = 7}, kNow)
              .ok());
  REQUIRE(fixture.sessions().Put(aborted, 0, crypto::Blake2b256(lone), lone, kNow).ok());
  REQUIRE(fixture.sessions().Abort(aborted, kNow).ok());

  for (int pass = 0; pass < 2; ++pass) {
    const v1::GarbageCollectionRun dry = MustRun(fixture, true, kNow);
    CHECK(dry.dry_run());
    CHECK(dry.collected_blob_count() == 1);
    CHECK(dry.collected_session_count() == 1);
    CHECK(dry.deleted_chunk_count() == 5);
    CHECK(dry.freed_bytes() == 3017);
    CHECK(AllStored(fixture, chunks));
    CHECK(AllStored(fixture, {lone}));
    CHECK(fixture.reader().Get(IdOf(blob)).ok());
  }
  // It can still be referenced, and the real run then keeps it.
  REQUIRE(fixture.references().Add(blob.name(), VersionName()).ok());
  const v1::GarbageCollectionRun run = MustRun(fixture, false, kNow);
  CHECK(run.collected_blob_count() == 0);
  CHECK(run.collected_session_count() == 1);
  CHECK(run.deleted_chunk_count() == 1);
  CHECK(AllStored(fixture, chunks));
  CHECK(NoneStored(fixture, {lone}));
}

TEST_CASE("garbage collection finishes the chunk deletions a crashed run left behind",
          "[blobs][garbage]") {
  BlobStoreFixture fixture;
  // As a run leaves it when it stops after the batch that deleted a blob: the chunk's
  // deletion recorded, its bytes still on the provider.
  const std::string orphan = crypto::RandomBytes(300);
  REQUIRE(fixture.provider().Put(KeyOf(orphan), orphan, nullptr).ok());
  REQUIRE(fixture.db()
              .store()
              .Put(fixture.db().chunk_deletions, store::KeyView(crypto::Blake2b256(orphan)),
                   store::EncodeUint64(300), {.sync = true})
              .ok());
  // And one a live blob uses again, whose bytes must stay.
  const std::vector<std::string> chunks = Chunks();
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), chunks, kNow);
  REQUIRE(fixture.references().Add(blob.name(), VersionName()).ok());
  REQUIRE(fixture.db()
              .store()
              .Put(fixture.db().chunk_deletions, store::KeyView(crypto::Blake2b256(chunks[0])),
                   store::EncodeUint64(1000), {.sync = true})
              .ok());

  CHECK(MustRun(fixture, true, kNow).deleted_chunk_count() == 1);
  CHECK(AllStored(fixture, {orphan}));
  v1::GarbageCollectionRun run = MustRun(fixture, false, kNow);
  CHECK(run.deleted_chunk_count() == 1);
  CHECK(run.freed_bytes() == 300);
  CHECK(NoneStored(fixture, {orphan}));
  CHECK(AllStored(fixture, chunks));
  // Both entries are gone: the next run has nothing left to do.
  CHECK_FALSE(fixture.db().store().Scan(fixture.db().chunk_deletions, {}).Valid());
}

TEST_CASE("the garbage collection loop collects in the background and stops when destroyed",
          "[blobs][garbage]") {
  BlobStoreFixture fixture;
  const std::vector<std::string> chunks = Chunks();
  fixture.CommitBlob(ids::NewId(), chunks, absl::Now());
  {
    GarbageCollectionLoop loop(&fixture.collector(), absl::Milliseconds(10));
    loop.Start();
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (!NoneStored(fixture, chunks) && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(10));
    }
  }
  CHECK(NoneStored(fixture, chunks));
  // An interval of 0 never runs.
  const std::vector<std::string> kept = Chunks();
  fixture.CommitBlob(ids::NewId(), kept, absl::Now());
  {
    GarbageCollectionLoop loop(&fixture.collector(), absl::ZeroDuration());
    loop.Start();
    absl::SleepFor(absl::Milliseconds(50));
  }
  CHECK(AllStored(fixture, kept));
}

}  // namespace
}  // namespace bitcontent::blobs
