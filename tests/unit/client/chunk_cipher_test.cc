// The chunk format: round trips at the sizes that matter, and every way of moving,
// swapping or cutting chunks is caught.
#include "libs/client/chunk_cipher.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "libs/crypto/random.h"

namespace bitcontent::client {
namespace {

constexpr uint32_t kChunk = kChunkBytesMin;  // Small chunks keep the test quick.

// Seals `plaintext` as a whole file and opens every chunk again.
std::string RoundTrip(const ChunkCipher& cipher, const std::string& plaintext) {
  const ChunkLayout layout{.plaintext_bytes = plaintext.size(), .chunk_bytes = kChunk};
  std::string opened;
  uint64_t sealed_total = 0;
  for (uint64_t i = 0; i < layout.chunk_count(); ++i) {
    const bool last = i + 1 == layout.chunk_count();
    const std::string sealed =
        cipher.Seal(i, absl::string_view(plaintext).substr(i * kChunk, kChunk), last);
    CHECK(sealed.size() == layout.sealed_bytes_of(i));
    sealed_total += sealed.size();
    absl::StatusOr<std::string> plain = cipher.Open(i, sealed, last);
    REQUIRE(plain.ok());
    opened += *plain;
  }
  CHECK(sealed_total == layout.sealed_bytes());
  return opened;
}

TEST_CASE("chunk cipher round-trips 0 B, 1 B, chunk-1, chunk and chunk+1", "[client][chunks]") {
  absl::StatusOr<ChunkCipher> cipher =
      ChunkCipher::Create(crypto::RandomBytes(32), ChunkCipher::RandomNoncePrefix());
  REQUIRE(cipher.ok());
  for (const size_t size : {size_t{0}, size_t{1}, size_t{kChunk - 1}, size_t{kChunk},
                            size_t{kChunk + 1}, size_t{3 * kChunk + 7}}) {
    INFO(size);
    const std::string plaintext = crypto::RandomBytes(size);
    CHECK(RoundTrip(*cipher, plaintext) == plaintext);
  }
  CHECK(ChunkLayout{.plaintext_bytes = 0, .chunk_bytes = kChunk}.chunk_count() == 1);
  CHECK(ChunkLayout{.plaintext_bytes = kChunk, .chunk_bytes = kChunk}.chunk_count() == 1);
  CHECK(ChunkLayout{.plaintext_bytes = kChunk + 1, .chunk_bytes = kChunk}.chunk_count() == 2);
}

TEST_CASE("chunk cipher refuses tampered, swapped, foreign and cut-short chunks",
          "[client][chunks]") {
  const std::string key = crypto::RandomBytes(32);
  absl::StatusOr<ChunkCipher> cipher = ChunkCipher::Create(key, ChunkCipher::RandomNoncePrefix());
  REQUIRE(cipher.ok());
  const std::string first = cipher->Seal(0, "first chunk", false);
  const std::string second = cipher->Seal(1, "second chunk", false);
  const std::string last = cipher->Seal(2, "last", true);

  std::string tampered = first;
  tampered[3] ^= 0x01;
  CHECK(cipher->Open(0, tampered, false).status().code() == absl::StatusCode::kDataLoss);
  // Swapped positions.
  CHECK(cipher->Open(1, first, false).status().code() == absl::StatusCode::kDataLoss);
  CHECK(cipher->Open(0, second, false).status().code() == absl::StatusCode::kDataLoss);
  // Cut short after chunk 1: chunk 1 was not sealed as the last.
  CHECK(cipher->Open(1, second, true).status().code() == absl::StatusCode::kDataLoss);
  // The real last chunk presented as a middle one (something appended after it).
  CHECK(cipher->Open(2, last, false).status().code() == absl::StatusCode::kDataLoss);
  // Another version (another nonce prefix) of the same file key.
  absl::StatusOr<ChunkCipher> other_version =
      ChunkCipher::Create(key, ChunkCipher::RandomNoncePrefix());
  REQUIRE(other_version.ok());
  CHECK(other_version->Open(0, first, false).status().code() == absl::StatusCode::kDataLoss);
  CHECK(cipher->Open(2, last, true).value() == "last");
}

TEST_CASE("chunk layout finds the chunk of a byte and refuses odd chunk sizes",
          "[client][chunks]") {
  const ChunkLayout layout{.plaintext_bytes = 10 * uint64_t{kChunkBytesDefault} + 5};
  REQUIRE(layout.Validate().ok());
  CHECK(layout.chunk_count() == 11);
  CHECK(layout.plaintext_bytes_of(10) == 5);
  CHECK(layout.chunk_of(0) == 0);
  CHECK(layout.chunk_of(kChunkBytesDefault - 1) == 0);
  CHECK(layout.chunk_of(kChunkBytesDefault) == 1);
  CHECK(layout.offset_in_chunk(kChunkBytesDefault + 3) == 3);
  CHECK(layout.chunk_of(layout.plaintext_bytes - 1) == 10);
  CHECK(ChunkLayout{.chunk_bytes = 1000}.Validate().code() == absl::StatusCode::kInvalidArgument);
  CHECK(ChunkLayout{.chunk_bytes = kChunkBytesMax + 1}.Validate().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(ChunkCipher::Create("short", ChunkCipher::RandomNoncePrefix()).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(ChunkHash("sealed").size() == 32);
}

}  // namespace
}  // namespace bitcontent::client
