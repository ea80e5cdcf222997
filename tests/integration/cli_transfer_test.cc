// Files by CLI: `bitcontent put` seals on the device and uploads through the gateway to
// the real blob service; `bitcontent get` brings the bytes back, checking every chunk.
// The sizes around a chunk's edge (1 MiB of plaintext) and a file of several chunks
// come back byte for byte; an upload or a download killed midway resumes, moving only
// the missing chunks; a chunk damaged or lost on the server fails the download and
// leaves no file; no data directory holds a name or a byte of content in clear.
#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/crypto/random.h"
#include "tests/integration/blobs_admin.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/integration/local_files.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;
using testing::AnyFileContains;
using testing::CheapAccounts;
using testing::ChunkFiles;
using testing::CliResult;
using testing::Device;
using testing::MustRun;
using testing::RandomContent;
using testing::ReadAll;
using testing::WriteAll;

constexpr size_t kChunk = size_t{1} << 20;

// The services files need, and Ada signed up on her laptop, with a directory for her
// local files.
struct Laptop {
  explicit Laptop(launch::SuiteOptions options = CheapAccounts())
      : suite({"accounts", "metadata", "blobs", "gateway"}, std::move(options)),
        device(suite, "laptop"),
        work(suite.var_dir() / "files") {
    REQUIRE(device.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
    fs::create_directories(work);
  }

  testing::TestSuite suite;
  Device device;
  const fs::path work;
};

TEST_CASE("files go up sealed and come back byte for byte, at every size around a chunk",
          "[integration][cli][transfer]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, CheapAccounts());
  Device laptop(suite, "laptop");
  Device phone(suite, "phone");
  REQUIRE(laptop.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  REQUIRE(phone.Run({"login", "ada@example.com"}, "a secret\n").exit_code == 0);
  MustRun(laptop, {"mkdir", "/Reports"});

  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  // A marker that would show if any byte of content or name were stored in clear.
  const std::string marker = "PLAINTEXT-MARKER-4f1c";
  for (const size_t size :
       {size_t{0}, size_t{1}, kChunk - 1, kChunk, kChunk + 1, 3 * kChunk + 12345}) {
    DYNAMIC_SECTION("a file of " << size << " bytes") {
      std::string content = RandomContent(size);
      if (size > marker.size()) content.replace(0, marker.size(), marker);
      const std::string name = "quarterly-" + std::to_string(size) + ".bin";
      WriteAll(work / name, content);
      MustRun(laptop, {"put", (work / name).string(), "/Reports/"});
      CHECK_THAT(MustRun(phone, {"ls", "/Reports"}).output, Catch::Contains(name));

      const fs::path back = work / ("back-" + name);
      MustRun(phone, {"get", "/Reports/" + name, back.string()});
      CHECK(fs::file_size(back) == size);
      CHECK(ReadAll(back) == content);
      CHECK_FALSE(fs::exists(back.string() + ".part"));

      for (const char* service : {"accounts", "metadata", "blobs"}) {
        INFO(service);
        CHECK_FALSE(AnyFileContains(suite.var_dir() / "data" / service, name));
        CHECK_FALSE(AnyFileContains(suite.var_dir() / "data" / service, marker));
      }
    }
  }
}

// Requests of `route` the gateway has answered 200, from its metrics.
uint64_t Answered(testing::TestSuite& suite, const std::string& route) {
  absl::StatusOr<std::string> page =
      testing::HttpGet(suite->addresses("gateway").at("admin"), "/metrics");
  REQUIRE(page.ok());
  const std::string series =
      absl::StrCat("gateway_http_requests_total{route=\"", route, "\",code=\"200\"} ");
  const size_t at = page->find(series);
  if (at == std::string::npos) return 0;
  const size_t end = page->find('\n', at);
  double value = 0;
  REQUIRE(absl::SimpleAtod(page->substr(at + series.size(), end - at - series.size()), &value));
  return static_cast<uint64_t>(value);
}

uint64_t ChunksPut(testing::TestSuite& suite) {
  return Answered(suite, "PUT /v1/uploadSessions/{session}/chunks/{index}");
}

uint64_t ChunksGot(testing::TestSuite& suite) {
  return Answered(suite, "GET /v1/blobs/{blob}/chunks/{index}");
}

TEST_CASE("an upload killed midway resumes on the next run, sending only the missing chunks",
          "[integration][cli][transfer]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  constexpr size_t kChunks = 24;
  const std::string content = RandomContent(kChunks * kChunk - 5);
  WriteAll(work / "big.bin", content);

  std::unique_ptr<launch::Process> put =
      laptop.Start({"put", "--parallel=1", (work / "big.bin").string(), "/"});
  REQUIRE(put != nullptr);
  // Kill it once a few chunks are stored, well before the last (bounded wait).
  for (int i = 0; i < 1000 && ChunkFiles(suite).size() < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  put->Signal(SIGKILL);
  (void)put->Wait(absl::Seconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // A chunk in flight lands.
  const size_t stored = ChunkFiles(suite).size();
  INFO("chunks stored when the client died: " << stored);
  REQUIRE(stored >= 4);
  REQUIRE(stored < kChunks);
  CHECK(laptop.Run({"ls", "/"}).output.find("big.bin") == std::string::npos);

  const uint64_t before = ChunksPut(suite);
  MustRun(laptop, {"put", (work / "big.bin").string(), "/"});
  CHECK(ChunksPut(suite) - before == kChunks - stored);
  CHECK(ChunkFiles(suite).size() == kChunks);
  MustRun(laptop, {"get", "/big.bin", (work / "back.bin").string()});
  CHECK(ReadAll(work / "back.bin") == content);
}

// Ada's file of kChunks chunks, and a `get --parallel=1` of it to back.bin caught once it
// has written its progress down (a bounded wait: the state is written every 16 chunks),
// for a test to stop midway and then resume.
class InterruptedDownload {
 public:
  static constexpr size_t kChunks = 96;

  explicit InterruptedDownload(Laptop& setup)
      : setup_(setup),
        content_(RandomContent(kChunks * kChunk - 5)),
        back_(setup.work / "back.bin"),
        state_(setup.work / "back.bin.part.state") {
    WriteAll(setup.work / "big.bin", content_);
    MustRun(setup.device, {"put", (setup.work / "big.bin").string(), "/"});
    get_ = setup.device.Start({"get", "--parallel=1", "/big.bin", back_.string()});
    REQUIRE(get_ != nullptr);
    for (int i = 0; i < 5000 && !fs::exists(state_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  launch::Process& get() { return *get_; }

  // Once the get has stopped: the chunks its state marks written, well short of all.
  size_t Marked() const {
    REQUIRE_FALSE(fs::exists(back_));
    REQUIRE(fs::exists(back_.string() + ".part"));
    const std::string text = ReadAll(state_);
    const size_t marks = text.rfind('\n');
    const size_t marked =
        marks == std::string::npos ? 0 : std::count(text.begin() + marks, text.end(), '1');
    INFO("chunks written down when the get stopped: " << marked);
    REQUIRE(marked >= 16);
    REQUIRE(marked < kChunks);
    return marked;
  }

  // Runs the get again: it fetches exactly the chunks not marked, and the file comes
  // back whole, with no .part or state left.
  void ResumeAndCheck(size_t marked) {
    // The chunk a killed get had asked for may still be answered, and counted, after it
    // died: wait (bounded) until the count stands still.
    uint64_t before = ChunksGot(setup_.suite);
    for (int i = 0; i < 50; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const uint64_t now = ChunksGot(setup_.suite);
      if (now == before) break;
      before = now;
    }
    MustRun(setup_.device, {"get", "/big.bin", back_.string()});
    CHECK(ChunksGot(setup_.suite) - before == kChunks - marked);
    CHECK(ReadAll(back_) == content_);
    CHECK_FALSE(fs::exists(back_.string() + ".part"));
    CHECK_FALSE(fs::exists(state_));
  }

  // Gets the file again from scratch: every chunk is fetched.
  void GetAgainWhole() {
    fs::remove(back_);
    const uint64_t before = ChunksGot(setup_.suite);
    MustRun(setup_.device, {"get", "/big.bin", back_.string()});
    CHECK(ChunksGot(setup_.suite) - before == kChunks);
    CHECK(ReadAll(back_) == content_);
  }

 private:
  Laptop& setup_;
  const std::string content_;
  const fs::path back_;
  const fs::path state_;
  std::unique_ptr<launch::Process> get_;
};

TEST_CASE("a download killed midway resumes on the next run, fetching only the missing chunks",
          "[integration][cli][transfer]") {
  Laptop setup;
  InterruptedDownload download(setup);
  download.get().Signal(SIGKILL);
  (void)download.get().Wait(absl::Seconds(10));
  download.ResumeAndCheck(download.Marked());
  // Finished, nothing is left to resume.
  download.GetAgainWhole();
}

TEST_CASE("a download cut off by an outage keeps its chunks and resumes once the service is back",
          "[integration][cli][transfer]") {
  Laptop setup;
  InterruptedDownload download(setup);
  REQUIRE(setup.suite->StopService("blobs", absl::Seconds(5)).ok());
  // The CLI tries each chunk a few times over about eight seconds, then gives up.
  absl::StatusOr<int> exit_code = download.get().Wait(absl::Seconds(60));
  REQUIRE(exit_code.ok());
  CHECK(*exit_code == 1);
  CHECK_THAT(ReadAll(setup.device.output_path()),
             Catch::Contains("run the same get again to resume"));
  const size_t marked = download.Marked();
  REQUIRE(setup.suite->StartService("blobs").ok());
  download.ResumeAndCheck(marked);
}

TEST_CASE("a 100 MiB file goes up and comes back byte for byte", "[integration][cli][transfer]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const std::string content = RandomContent(100 * kChunk);
  WriteAll(work / "big.bin", content);
  MustRun(laptop, {"put", (work / "big.bin").string(), "/"});
  fs::remove(work / "big.bin");
  MustRun(laptop, {"get", "/big.bin", (work / "back.bin").string()});
  CHECK(fs::file_size(work / "back.bin") == content.size());
  CHECK(ReadAll(work / "back.bin") == content);
}

TEST_CASE("a chunk damaged or lost on the server fails the download and leaves no file",
          "[integration][cli][transfer]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  WriteAll(work / "one.bin", RandomContent(2 * kChunk + 7));
  MustRun(laptop, {"put", (work / "one.bin").string()});
  const std::vector<fs::path> chunks = ChunkFiles(suite);
  REQUIRE(chunks.size() == 3);

  SECTION("a flipped byte") {
    fs::permissions(chunks[1], fs::perms::owner_write, fs::perm_options::add);
    std::string bytes = ReadAll(chunks[1]);
    bytes[bytes.size() / 2] ^= 0x01;
    WriteAll(chunks[1], bytes);
    const CliResult got = laptop.Run({"get", "/one.bin", (work / "out.bin").string()});
    CHECK(got.exit_code == 1);
    CHECK_THAT(got.output, Catch::Contains("damaged"));
  }
  SECTION("two chunks swapped") {
    fs::permissions(chunks[0], fs::perms::owner_write, fs::perm_options::add);
    fs::permissions(chunks[1], fs::perms::owner_write, fs::perm_options::add);
    const std::string first = ReadAll(chunks[0]);
    WriteAll(chunks[0], ReadAll(chunks[1]));
    WriteAll(chunks[1], first);
    const CliResult got = laptop.Run({"get", "/one.bin", (work / "out.bin").string()});
    CHECK(got.exit_code == 1);
    CHECK_THAT(got.output, Catch::Contains("damaged"));
  }
  SECTION("a chunk cut short") {
    fs::permissions(chunks[2], fs::perms::owner_write, fs::perm_options::add);
    fs::resize_file(chunks[2], fs::file_size(chunks[2]) / 2);
    const CliResult got = laptop.Run({"get", "/one.bin", (work / "out.bin").string()});
    CHECK(got.exit_code == 1);
    CHECK_THAT(got.output, Catch::Contains("damaged"));
  }
  SECTION("a lost chunk") {
    fs::remove(chunks[2]);
    const CliResult got = laptop.Run({"get", "/one.bin", (work / "out.bin").string()});
    CHECK(got.exit_code == 1);
    CHECK_THAT(got.output, Catch::Contains("missing"));
  }
  CHECK_FALSE(fs::exists(work / "out.bin"));
  CHECK_FALSE(fs::exists(work / "out.bin.part"));
}

TEST_CASE("an upload over the quota is refused before any byte, and nothing is left behind",
          "[integration][cli][transfer]") {
  // 3 MiB of quota: the first file fits, the second does not.
  Laptop setup(CheapAccounts({"--default_quota_bytes=3145728"}));
  auto& [suite, laptop, work] = setup;
  WriteAll(work / "fits.bin", RandomContent(2 * kChunk));
  WriteAll(work / "too-big.bin", RandomContent(2 * kChunk));
  MustRun(laptop, {"put", (work / "fits.bin").string()});
  const size_t stored = ChunkFiles(suite).size();

  const CliResult refused = laptop.Run({"put", (work / "too-big.bin").string()});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.output, Catch::Contains("quota"));
  CHECK(ChunkFiles(suite).size() == stored);
  CHECK(MustRun(laptop, {"ls", "/"}).output == "fits.bin\n");
}

}  // namespace
}  // namespace bitcontent
