// DownloadFile: chunks written in any order, from several threads, come out as the
// file, with the last chunk's padding cut off, whether writes go straight to the disk
// or through the page cache.
#include "libs/client/download_file.h"

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "libs/crypto/random.h"
#include "tests/integration/local_files.h"

namespace bitcontent::client {
namespace {

namespace fs = std::filesystem;

using testing::ReadAll;

// Writes `file` (chunks of `chunk_bytes`) to `path` from four threads, last chunk first.
bool WriteInPieces(const fs::path& path, const std::string& file, size_t chunk_bytes,
                   bool* direct) {
  absl::StatusOr<std::unique_ptr<DownloadFile>> out =
      DownloadFile::Create(path.string(), chunk_bytes, file.size());
  REQUIRE(out.ok());
  *direct = (*out)->direct();
  const size_t chunks = (file.size() + chunk_bytes - 1) / chunk_bytes;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      direct_io::AlignedBuffer buffer(chunk_bytes);  // one per thread, as a download has
      for (size_t i = chunks; i-- > 0;) {
        if (i % 4 != t) continue;
        const absl::string_view chunk =
            absl::string_view(file).substr(i * chunk_bytes, chunk_bytes);
        std::memcpy(buffer.data(), chunk.data(), chunk.size());
        if (!(*out)->Write(buffer, chunk.size(), i * chunk_bytes).ok()) failures.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return failures.load() == 0 && (*out)->Finish(file.size()).ok();
}

TEST_CASE("a download file holds every chunk at its offset and no padding", "[client]") {
  const fs::path dir =
      fs::temp_directory_path() / ("bitcontent-download-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const size_t chunk_bytes = GENERATE(size_t{65536}, size_t{5000});
  // Whole chunks, and a last one that ends off any block boundary.
  const std::string file = crypto::RandomBytes(7 * chunk_bytes + 1000);
  bool direct = false;
  REQUIRE(WriteInPieces(dir / "file", file, chunk_bytes, &direct));
  CHECK(fs::file_size(dir / "file") == file.size());
  CHECK(ReadAll(dir / "file") == file);
  // Straight to the disk exactly when the chunk size keeps writes aligned (the temporary
  // directory of this project's machines takes O_DIRECT).
  if (chunk_bytes % direct_io::kAlignmentBytes != 0) CHECK_FALSE(direct);
  fs::remove_all(dir);
}

TEST_CASE("a download file says which path it cannot create", "[client]") {
  absl::StatusOr<std::unique_ptr<DownloadFile>> out =
      DownloadFile::Create("/nonexistent-dir/file.bitcontent-part", 65536, 65536);
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().message().find("/nonexistent-dir/file.bitcontent-part") != std::string::npos);
}

TEST_CASE("a download bigger than the free disk is refused before it starts", "[client]") {
  const fs::path dir =
      fs::temp_directory_path() / ("bitcontent-download-full-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const uint64_t too_big = fs::space(dir).available * 2 + (uint64_t{1} << 30);
  absl::StatusOr<std::unique_ptr<DownloadFile>> out =
      DownloadFile::Create((dir / "file.bitcontent-part").string(), 65536, too_big);
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK(out.status().message().find("free some space") != std::string::npos);
  // Nothing is left behind for the member to clean up.
  CHECK_FALSE(fs::exists(dir / "file.bitcontent-part"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bitcontent::client
