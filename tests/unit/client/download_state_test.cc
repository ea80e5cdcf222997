// DownloadState: what a stopped download wrote down comes back for the same blob and
// layout in the same boot of the machine, and for nothing else (another blob, another
// layout, an earlier boot, a damaged file, a partial file that is gone).
#include "libs/client/download_state.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "absl/strings/str_replace.h"
#include "tests/integration/local_files.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::client {
namespace {

namespace fs = std::filesystem;

using testing::ReadAll;
using testing::WriteAll;

TEST_CASE("a download's state comes back only for the same blob, layout and boot", "[client]") {
  store::TempDir dir;
  const std::string path = (fs::path(dir.path()) / "file.bitcontent-part.state").string();
  // 40 chunks of 64 KiB, the last one 1,000 bytes.
  const ChunkLayout layout{.plaintext_bytes = 39 * 65536 + 1000, .chunk_bytes = 65536};
  {
    DownloadState state = DownloadState::Load(path, "blobs/b1", layout, true);
    CHECK(state.done_count() == 0);
    for (uint32_t i : {0u, 3u, 39u}) REQUIRE(state.MarkDone(i).ok());
    REQUIRE(state.MarkDone(3).ok());  // Twice is once.
    CHECK(state.done_count() == 3);
    CHECK(state.done_bytes() == 2 * 65536 + 1000);
    REQUIRE(state.Save().ok());
  }
  {
    DownloadState again = DownloadState::Load(path, "blobs/b1", layout, true);
    CHECK(again.done_count() == 3);
    CHECK(again.done(0));
    CHECK(again.done(3));
    CHECK(again.done(39));
    CHECK_FALSE(again.done(1));
  }
  const std::string saved = ReadAll(path);
  CHECK(DownloadState::Load(path, "blobs/b2", layout, true).done_count() == 0);
  CHECK(DownloadState::Load(path, "blobs/b1", {.plaintext_bytes = 40 * 65536, .chunk_bytes = 65536},
                            true)
            .done_count() == 0);
  CHECK(DownloadState::Load(path, "blobs/b1", layout, /*partial_exists=*/false).done_count() == 0);

  SECTION("written in an earlier boot") {
    const std::string boot = ReadAll("/proc/sys/kernel/random/boot_id");
    REQUIRE(boot.size() > 1);
    WriteAll(path, absl::StrReplaceAll(saved, {{boot.substr(0, boot.size() - 1), "another-boot"}}));
    CHECK(DownloadState::Load(path, "blobs/b1", layout, true).done_count() == 0);
  }
  SECTION("cut short") {
    WriteAll(path, saved.substr(0, saved.size() - 1));
    CHECK(DownloadState::Load(path, "blobs/b1", layout, true).done_count() == 0);
  }
  SECTION("removed") {
    DownloadState::Load(path, "blobs/b1", layout, true).Remove();
    CHECK_FALSE(fs::exists(path));
  }
}

}  // namespace
}  // namespace bitcontent::client
