// Upload sessions on a real RocksDB and a real filesystem provider: layouts, verified
// chunks, resuming by missing ranges, commit.
#include "services/blobs/upload_sessions.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/random.h"
#include "libs/kit/error_details.h"
#include "tests/unit/blobs/blob_store_fixture.h"

namespace bitcontent::blobs {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1790000000);
constexpr char kSession[] = "01HXSESS000000000000000000";

using Fixture = testing::BlobStoreFixture;

// Five chunks of 1,000 bytes and a last one of 10.
const ChunkLayoutRequest kLayout{
    .chunk_count = 6, .chunk_size_bytes = 1000, .last_chunk_size_bytes = 10};

std::vector<std::string> Chunks() {
  std::vector<std::string> chunks;
  for (int i = 0; i < 5; ++i) chunks.push_back(crypto::RandomBytes(1000));
  chunks.push_back(crypto::RandomBytes(10));
  return chunks;
}

TEST_CASE("upload session takes verified chunks in any order, says what is missing, commits",
          "[blobs][uploads]") {
  Fixture fixture;
  absl::StatusOr<v1::UploadSession> begun = fixture.sessions().Begin(kSession, 5010, kLayout, kNow);
  REQUIRE(begun.ok());
  CHECK(begun->size_bytes() == 5010);
  REQUIRE(begun->missing_chunks_size() == 1);
  CHECK(begun->missing_chunks(0).count() == 6);

  const std::vector<std::string> chunks = Chunks();
  for (const uint32_t index : {5u, 0u, 2u}) {
    absl::StatusOr<PutResult> put = fixture.sessions().Put(
        kSession, index, crypto::Blake2b256(chunks[index]), chunks[index], kNow);
    INFO(put.status().ToString());
    REQUIRE(put.ok());
    CHECK_FALSE(put->already_present);
  }
  // A resend after a crash is acknowledged, not counted twice.
  absl::StatusOr<PutResult> again =
      fixture.sessions().Put(kSession, 2, crypto::Blake2b256(chunks[2]), chunks[2], kNow);
  REQUIRE(again.ok());
  CHECK(again->already_present);
  CHECK(again->received_chunk_count == 3);
  CHECK(again->received_bytes == 2010);

  absl::StatusOr<v1::UploadSession> resumed = fixture.sessions().Get(kSession, kNow);
  REQUIRE(resumed.ok());
  REQUIRE(resumed->missing_chunks_size() == 2);
  CHECK(resumed->missing_chunks(0).first_index() == 1);
  CHECK(resumed->missing_chunks(0).count() == 1);
  CHECK(resumed->missing_chunks(1).first_index() == 3);
  CHECK(resumed->missing_chunks(1).count() == 2);

  absl::StatusOr<v1::Blob> early = fixture.sessions().Commit(kSession, kNow);
  CHECK(early.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(kit::DetailsOf(early.status()).reason() == common::v1::ERROR_REASON_CHUNKS_MISSING);

  for (const uint32_t index : {1u, 3u, 4u}) {
    REQUIRE(fixture.sessions()
                .Put(kSession, index, crypto::Blake2b256(chunks[index]), chunks[index], kNow)
                .ok());
  }
  absl::StatusOr<v1::Blob> blob = fixture.sessions().Commit(kSession, kNow);
  REQUIRE(blob.ok());
  CHECK(blob->size_bytes() == 5010);
  CHECK(blob->chunk_count() == 6);
  std::string manifest;
  for (const std::string& chunk : chunks) manifest += crypto::Blake2b256(chunk);
  CHECK(blob->manifest_hash() == crypto::Blake2b256(manifest));
  // Committing again is the same blob; the session takes no more chunks.
  CHECK(fixture.sessions().Commit(kSession, kNow)->name() == blob->name());
  CHECK(fixture.sessions()
            .Put(kSession, 0, crypto::Blake2b256(chunks[0]), chunks[0], kNow)
            .status()
            .code() == absl::StatusCode::kFailedPrecondition);
  // Every chunk is on the provider under its hash.
  for (const std::string& chunk : chunks) {
    CHECK(fixture.provider().Get(crypto::HexEncode(crypto::Blake2b256(chunk))).value() == chunk);
  }
}

TEST_CASE("upload session refuses damaged, misplaced and oversized chunks and layouts",
          "[blobs][uploads]") {
  Fixture fixture;
  // More than the grant allows.
  CHECK(fixture.sessions().Begin(kSession, 5009, kLayout, kNow).status().code() ==
        absl::StatusCode::kPermissionDenied);
  REQUIRE(fixture.sessions().Begin(kSession, 5010, kLayout, kNow).ok());
  // The same layout again is fine; another is not.
  CHECK(fixture.sessions().Begin(kSession, 5010, kLayout, kNow).ok());
  CHECK(fixture.sessions()
            .Begin(kSession, 9000,
                   {.chunk_count = 9, .chunk_size_bytes = 1000, .last_chunk_size_bytes = 1000},
                   kNow)
            .status()
            .code() == absl::StatusCode::kFailedPrecondition);

  const std::string chunk = crypto::RandomBytes(1000);
  absl::StatusOr<PutResult> damaged =
      fixture.sessions().Put(kSession, 0, crypto::Blake2b256("something else"), chunk, kNow);
  CHECK(damaged.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK(kit::DetailsOf(damaged.status()).reason() == common::v1::ERROR_REASON_CHUNK_HASH_MISMATCH);
  // Nothing of it was stored.
  CHECK(fixture.provider().List("", 10).value().keys.empty());
  // A middle chunk's size at the last index, and an index past the layout.
  CHECK(
      fixture.sessions().Put(kSession, 5, crypto::Blake2b256(chunk), chunk, kNow).status().code() ==
      absl::StatusCode::kInvalidArgument);
  CHECK(
      fixture.sessions().Put(kSession, 6, crypto::Blake2b256(chunk), chunk, kNow).status().code() ==
      absl::StatusCode::kInvalidArgument);
  // Another chunk for an index already received.
  REQUIRE(fixture.sessions().Put(kSession, 0, crypto::Blake2b256(chunk), chunk, kNow).ok());
  const std::string other = crypto::RandomBytes(1000);
  CHECK(
      fixture.sessions().Put(kSession, 0, crypto::Blake2b256(other), other, kNow).status().code() ==
      absl::StatusCode::kFailedPrecondition);

  CHECK(fixture.sessions()
            .Begin("01HXSESS000000000000000001", 100,
                   {.chunk_count = 1,
                    .chunk_size_bytes = UploadSessions::kChunkBytesMax + 1,
                    .last_chunk_size_bytes = 1},
                   kNow)
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
  CHECK(absl::IsNotFound(fixture.sessions().Get("01HXSESS000000000000000009", kNow).status()));
  // Past its expiry a session takes nothing.
  CHECK(fixture.sessions()
            .Put(kSession, 1, crypto::Blake2b256(chunk), chunk, kNow + UploadSessions::kLifetime)
            .status()
            .code() == absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace bitcontent::blobs
