// Chunks read as files (ReadChunkResponse.file): the reader answers the file of the first
// provider that has a copy, the next provider's when that copy is lost, the bytes when
// no copy is a file, and always the bytes when asked to verify.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "libs/crypto/random.h"
#include "libs/ids/ids.h"
#include "tests/unit/blobs/blob_store_fixture.h"

namespace bitcontent::blobs {
namespace {

using testing::BlobStoreFixture;
using testing::KeyOf;

namespace fs = std::filesystem;

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

fs::path FileOf(const BlobStoreFixture& fixture, absl::string_view provider,
                absl::string_view chunk) {
  const std::string key = KeyOf(chunk);
  return fs::absolute(fs::path(fixture.chunks_dir(provider)) / key.substr(0, 2) / key.substr(2, 2) /
                      key);
}

std::string Contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE("a chunk read as a file names a copy's file, the next one's when lost, else the bytes",
          "[blobs][chunk_file]") {
  BlobStoreFixture fixture(absl::ZeroDuration(), {"a", "b"});
  const std::vector<std::string> chunks = {crypto::RandomBytes(1000), crypto::RandomBytes(10)};
  const v1::Blob blob = fixture.CommitBlob(ids::NewId(), chunks, kNow);

  absl::StatusOr<Chunk> read = fixture.reader().Read(blob, 1, /*verify=*/false, /*file_ok=*/true);
  REQUIRE(read.ok());
  REQUIRE(read->file.has_value());
  CHECK(read->data.size() == 0);
  CHECK(read->file->path == FileOf(fixture, "a", chunks[1]).string());
  CHECK(read->file->size == chunks[1].size());
  CHECK(Contents(read->file->path) == chunks[1]);

  // Asked to verify: the bytes, checked, never a file the caller would send unchecked.
  absl::StatusOr<Chunk> verified = fixture.reader().Read(blob, 1, /*verify=*/true, true);
  REQUIRE(verified.ok());
  CHECK_FALSE(verified->file.has_value());
  CHECK(verified->data.view() == chunks[1]);

  // The first provider's copy lost: the second provider's file.
  REQUIRE(fs::remove(FileOf(fixture, "a", chunks[0])));
  absl::StatusOr<Chunk> second = fixture.reader().Read(blob, 0, false, true);
  REQUIRE(second.ok());
  REQUIRE(second->file.has_value());
  CHECK(second->file->path == FileOf(fixture, "b", chunks[0]).string());

  // No copy as a file: the answer is the error a read of the bytes gives.
  REQUIRE(fs::remove(FileOf(fixture, "b", chunks[0])));
  absl::StatusOr<Chunk> none = fixture.reader().Read(blob, 0, false, true);
  CHECK(none.status().code() == absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace bitcontent::blobs
