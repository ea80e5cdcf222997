// SealedSpool: a stream of any length, read from a pipe in whatever pieces it comes, is
// sealed into chunks that open in order, the last one (and only it) marked last; a
// stream past the limit is refused, saying what to do.
#include "libs/client/sealed_spool.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "libs/crypto/random.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::client {
namespace {

constexpr uint32_t kChunk = kChunkBytesMin;  // 64 KiB: small tests, several chunks.

// Fills a spool from a pipe fed `content` by a thread, in pieces of 1,000 bytes (so no
// read returns a whole chunk at once).
absl::StatusOr<std::unique_ptr<SealedSpool>> FillFrom(const std::string& content,
                                                      const ChunkCipher& cipher, uint64_t limit,
                                                      const std::string& dir) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::thread writer([&content, fd = fds[1]] {
    for (size_t at = 0; at < content.size(); at += 1000) {
      const size_t piece = std::min<size_t>(1000, content.size() - at);
      if (write(fd, content.data() + at, piece) != static_cast<ssize_t>(piece)) break;
    }
    close(fd);
  });
  absl::StatusOr<std::unique_ptr<SealedSpool>> spool =
      SealedSpool::Fill(fds[0], cipher, kChunk, limit, dir);
  close(fds[0]);  // A writer refused midway gets EPIPE instead of waiting for a reader.
  writer.join();
  return spool;
}

TEST_CASE("a stream is sealed into chunks that open in order, the last marked last",
          "[client][sealed_spool]") {
  store::TempDir dir;
  const absl::StatusOr<ChunkCipher> cipher =
      ChunkCipher::Create(crypto::RandomBytes(32), ChunkCipher::RandomNoncePrefix());
  REQUIRE(cipher.ok());
  for (const size_t size : {size_t{0}, size_t{1}, size_t{kChunk} - 1, size_t{kChunk},
                            size_t{kChunk} + 1, 3 * size_t{kChunk} + 5}) {
    DYNAMIC_SECTION("a stream of " << size << " bytes") {
      const std::string content = crypto::RandomBytes(size);
      absl::StatusOr<std::unique_ptr<SealedSpool>> spool =
          FillFrom(content, *cipher, SealedSpool::kPlaintextBytesMax, dir.path());
      REQUIRE(spool.ok());
      const ChunkLayout& layout = (*spool)->layout();
      CHECK(layout.plaintext_bytes == size);
      CHECK(layout.chunk_bytes == kChunk);
      std::string back;
      for (uint32_t i = 0; i < layout.chunk_count(); ++i) {
        absl::StatusOr<std::string> sealed = (*spool)->SealedChunk(i);
        REQUIRE(sealed.ok());
        CHECK(sealed->size() == layout.sealed_bytes_of(i));
        const bool last = i + 1 == layout.chunk_count();
        // Sealed as last exactly when it is: the other flag does not open it.
        CHECK_FALSE(cipher->Open(i, *sealed, !last).ok());
        absl::StatusOr<std::string> plain = cipher->Open(i, *std::move(sealed), last);
        REQUIRE(plain.ok());
        back += *plain;
      }
      CHECK(back == content);
      CHECK(absl::IsOutOfRange((*spool)->SealedChunk(layout.chunk_count()).status()));
    }
  }
}

TEST_CASE("a stream longer than the spool's limit is refused, saying what to do",
          "[client][sealed_spool]") {
  store::TempDir dir;
  const absl::StatusOr<ChunkCipher> cipher =
      ChunkCipher::Create(crypto::RandomBytes(32), ChunkCipher::RandomNoncePrefix());
  REQUIRE(cipher.ok());
  const std::string content = crypto::RandomBytes(2 * kChunk + 1);
  CHECK(FillFrom(content, *cipher, 2 * kChunk + 1, dir.path()).ok());
  absl::StatusOr<std::unique_ptr<SealedSpool>> refused =
      FillFrom(content, *cipher, 2 * kChunk, dir.path());
  REQUIRE_FALSE(refused.ok());
  CHECK(absl::IsResourceExhausted(refused.status()));
  CHECK_THAT(std::string(refused.status().message()), Catch::Contains("save it to a file"));
}

}  // namespace
}  // namespace bitcontent::client
