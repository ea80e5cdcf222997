// Files by CLI: `bitcontent put` seals on the device and uploads through the gateway to
// the real blob service; `bitcontent get` brings the bytes back, checking every chunk.
// The sizes around a chunk's edge (1 MiB of plaintext) and a file of several chunks
// come back byte for byte; an upload or a download killed midway resumes, moving only
// the missing chunks; a chunk damaged or lost on the server fails the download and
// leaves no file; no data directory holds a name or a byte of content in clear. A put
// resumes only a file that is as it was, and never leaves a reservation held by an
// upload it gave up on; `bitcontent uploads` lists and frees those a kill left; two
// puts (or gets) on the same local state do not run at once; on a terminal the result
// follows a cleared progress line; `-` is standard input for put, standard output for
// get; a directory goes up whole (again: only what changed) and a folder comes down
// whole.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/crypto/random.h"
#include "tests/integration/blobs_admin.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/integration/local_files.h"
#include "tests/integration/rest.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;
using testing::AnyFileContains;
using testing::CheapAccounts;
using testing::ChunkFiles;
using testing::CliResult;
using testing::Device;
using testing::GatewayMetric;
using testing::Laptop;
using testing::MustRun;
using testing::RandomContent;
using testing::ReadAll;
using testing::WriteAll;

constexpr size_t kChunk = size_t{1} << 20;

uint64_t ChunksPut(testing::TestSuite& suite) {
  return Answered(suite, "PUT /v1/uploadSessions/{session}/chunks/{index}");
}

uint64_t ChunksGot(testing::TestSuite& suite) {
  return Answered(suite, "GET /v1/blobs/{blob}/chunks/{index}");
}

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
      CHECK_FALSE(fs::exists(back.string() + ".bitcontent-part"));
      // On one machine every chunk came from blobs' file, none through blobs' socket.
      CHECK(GatewayMetric(suite, R"(gateway_chunk_bodies_total{from="file"})") == ChunksGot(suite));
      CHECK(GatewayMetric(suite, R"(gateway_chunk_bodies_total{from="blobs"})") == 0);

      for (const char* service : {"accounts", "metadata", "blobs"}) {
        INFO(service);
        CHECK_FALSE(AnyFileContains(suite.var_dir() / "data" / service, name));
        CHECK_FALSE(AnyFileContains(suite.var_dir() / "data" / service, marker));
      }
    }
  }
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
        state_(setup.work / "back.bin.bitcontent-part.state") {
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
    REQUIRE(fs::exists(back_.string() + ".bitcontent-part"));
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
  // back whole, with no partial file or state left.
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
    CHECK_FALSE(fs::exists(back_.string() + ".bitcontent-part"));
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
  CHECK_FALSE(fs::exists(work / "out.bin.bitcontent-part"));
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
  // It says how to free what unfinished uploads hold, and the reason stays for scripts.
  CHECK_THAT(refused.output, Catch::Contains("`bitcontent uploads` lists yours"));
  CHECK_THAT(refused.output, Catch::Contains("(QUOTA_EXCEEDED)"));
  CHECK(ChunkFiles(suite).size() == stored);
  CHECK(MustRun(laptop, {"ls", "/"}).output == "fits.bin\n");
  // Nothing to resume, so the device keeps no state of it, not even a lock file.
  for (const fs::directory_entry& kept : fs::directory_iterator(laptop.dir() / "config")) {
    CHECK_FALSE(absl::StartsWith(kept.path().filename().string(), "upload-"));
  }
  // whoami says where the member stands: the file that fits, sealed, of the 3 MiB.
  CHECK_THAT(MustRun(laptop, {"whoami"}).output,
             Catch::Contains("storage: 2.0 MiB used of 3.0 MiB"));
  // A folder import that would not fit is refused before any folder is made.
  MustRun(laptop, {"mkdir", "/F"});
  MustRun(laptop, {"mv", "/fits.bin", "/F/"});
  const std::string link(
      absl::StripAsciiWhitespace(MustRun(laptop, {"link", "create", "/F"}).output));
  const CliResult no_room = laptop.Run({"import-link", link, "/Copy"});
  CHECK(no_room.exit_code == 1);
  CHECK_THAT(no_room.output,
             Catch::Contains("importing F needs") && Catch::Contains("nothing was imported"));
  CHECK(MustRun(laptop, {"ls", "/"}).output == "F/\n");

  // A writer in her shared folder fills her quota; he is told there is no room, not her
  // figures, nor to look at uploads of his own.
  Device bob(suite, "bob");
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);
  MustRun(laptop, {"mkdir", "/Team"});
  MustRun(laptop, {"share", "/Team", "bob@example.com", "--write"});
  const CliResult full = bob.Run({"put", (work / "too-big.bin").string(), "shared:Team/"});
  CHECK(full.exit_code == 1);
  CHECK_THAT(full.output, Catch::Contains("the owner of this shared folder has no room") &&
                              !Catch::Contains("3145728") && !Catch::Contains("limit") &&
                              !Catch::Contains("`bitcontent uploads`"));
  // The same when he imports a link there.
  const CliResult imported = bob.Run({"import-link", link, "shared:Team/"});
  CHECK(imported.exit_code == 1);
  CHECK_THAT(imported.output, Catch::Contains("the owner of this shared folder has no room") &&
                                  !Catch::Contains("3145728") && !Catch::Contains("limit"));
}

// The bytes of the member's quota that uploads hold reserved.
uint64_t ReservedBytes(testing::TestSuite& suite, const Device& device) {
  const std::string token =
      testing::Json(ReadAll(device.credentials())).fields().at("accessToken").string_value();
  testing::Rest rest(suite->addresses("gateway").at("public_rest"));
  const http::ClientResponse quota = rest.Get("/v1/users/me/quota", token);
  REQUIRE(quota.status == 200);
  return testing::Unsigned(testing::Json(quota.body), "reservedBytes");
}

// Starts `put --parallel=1 <file> <remote>` on `device` (the laptop's by default; with
// `input` on stdin, for a file "-") and kills it (SIGKILL) once a few chunks are stored,
// well before the last: an upload left open, its reservation held.
void KillPutMidway(Laptop& setup, const fs::path& file, const std::string& remote,
                   const Device* device = nullptr, const std::string& input = "") {
  const Device& putter = device != nullptr ? *device : setup.device;
  const size_t before = ChunkFiles(setup.suite).size();
  std::unique_ptr<launch::Process> put =
      putter.Start({"put", "--parallel=1", file.string(), remote}, input);
  REQUIRE(put != nullptr);
  for (int i = 0; i < 2000 && ChunkFiles(setup.suite).size() < before + 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  put->Signal(SIGKILL);
  (void)put->Wait(absl::Seconds(10));
  REQUIRE(ChunkFiles(setup.suite).size() >= before + 4);
  const fs::path sent = file == "-" ? fs::path(remote) : file;
  CHECK(setup.device.Run({"ls", "-R", "/"}).output.find(sent.filename().string()) ==
        std::string::npos);
}

// The ids `bitcontent uploads` lists, in order.
std::vector<std::string> ListedUploads(const Device& device) {
  const CliResult listed = MustRun(device, {"uploads"});
  std::vector<std::string> ids;
  for (absl::string_view line : absl::StrSplit(listed.output, '\n')) {
    if (line.size() < 26 || absl::StartsWith(line, "ID ")) continue;
    const absl::string_view id = line.substr(0, 26);
    if (id.find(' ') == absl::string_view::npos) ids.emplace_back(id);
  }
  return ids;
}

TEST_CASE(
    "a put resumed after its file was rewritten in place, size and time put back, "
    "starts over and stores the new bytes",
    "[integration][cli][transfer][resume]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const fs::path file = work / "mut2";
  std::string content = RandomContent(24 * kChunk - 5);
  WriteAll(file, content);
  KillPutMidway(setup, file, "/mut2");

  // 16 bytes at offset 100 (in a chunk already stored), then the old time back, as
  // `touch -d` does: size and modification time match what the upload began with.
  const fs::file_time_type modified = fs::last_write_time(file);
  const std::string patch(16, 'Z');
  {
    std::fstream edit(file, std::ios::in | std::ios::out | std::ios::binary);
    edit.seekp(100);
    edit.write(patch.data(), static_cast<std::streamsize>(patch.size()));
  }
  fs::last_write_time(file, modified);
  content.replace(100, patch.size(), patch);
  REQUIRE(fs::file_size(file) == content.size());

  CHECK_THAT(MustRun(laptop, {"put", file.string(), "/mut2"}).output, Catch::Contains("uploaded"));
  MustRun(laptop, {"get", "/mut2", (work / "back").string()});
  CHECK(ReadAll(work / "back") == content);
  // The upload it replaced was aborted: nothing stays reserved.
  CHECK(ReservedBytes(suite, laptop) == 0);
  CHECK(ListedUploads(laptop).empty());
}

// `put DIR /New` and `get /Folder new-dir` make their destination; run again after a
// kill, they go on into it, not into a new folder inside it as they would into one that
// was there before (unfinished_folders.h).
TEST_CASE("a folder put or get killed midway goes on into the destination its first run made",
          "[integration][cli][transfer][resume]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const fs::path dir = work / "pdir";
  fs::create_directories(dir);
  const std::string big = RandomContent(24 * kChunk - 5);
  WriteAll(dir / "big.bin", big);
  WriteAll(dir / "small.txt", "small\n");
  KillPutMidway(setup, dir, "/Backup");
  CHECK_THAT(MustRun(laptop, {"put", dir.string(), "/Backup"}).output,
             Catch::Contains("uploaded " + dir.string() + " to /Backup:"));
  CHECK(MustRun(laptop, {"ls", "-R", "/Backup"}).output == "big.bin\nsmall.txt\n");
  CHECK(ListedUploads(laptop).empty());
  // Finished: a put to /Backup, which now exists, goes into it, as cp does.
  MustRun(laptop, {"put", dir.string(), "/Backup"});
  CHECK(MustRun(laptop, {"ls", "/Backup"}).output == "big.bin\npdir/\nsmall.txt\n");

  const fs::path back = work / "back";
  std::unique_ptr<launch::Process> get =
      laptop.Start({"get", "--parallel=1", "/Backup", back.string()});
  REQUIRE(get != nullptr);
  for (int i = 0; i < 2000 && !fs::exists(back / "big.bin.bitcontent-part"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  get->Signal(SIGKILL);
  (void)get->Wait(absl::Seconds(10));
  REQUIRE(fs::exists(back / "big.bin.bitcontent-part"));
  MustRun(laptop, {"get", "/Backup", back.string()});
  CHECK(ReadAll(back / "big.bin") == big);
  CHECK(ReadAll(back / "pdir" / "big.bin") == big);
  CHECK_FALSE(fs::exists(back / "Backup"));
  CHECK_FALSE(fs::exists(back / "big.bin.bitcontent-part"));
}

// Over the gateway's rate limit a request is refused before anything is done of it: the
// CLI waits as long as the gateway says and sends it again, so a put of many files slows
// down instead of failing halfway.
TEST_CASE("a put of many files over the rate limit waits and finishes",
          "[integration][cli][transfer]") {
  launch::SuiteOptions options = CheapAccounts();
  options.extra_args["gateway"] = {"--rate_limit_principal_requests=40",
                                   "--rate_limit_window_ms=2000"};
  Laptop setup(std::move(options));
  auto& [suite, laptop, work] = setup;
  const fs::path dir = work / "many";
  fs::create_directories(dir);
  std::string expected;
  for (int i = 0; i < 12; ++i) {
    WriteAll(dir / absl::StrCat("n", 10 + i, ".txt"), absl::StrCat("note ", i, "\n"));
    absl::StrAppend(&expected, "n", 10 + i, ".txt\n");
  }
  CHECK_THAT(MustRun(laptop, {"put", dir.string(), "/many"}).output,
             Catch::Contains("12 files sent"));
  CHECK(MustRun(laptop, {"ls", "/many"}).output == expected);
}

TEST_CASE("a put that starts over aborts the upload it replaces, and gives up on none it keeps",
          "[integration][cli][transfer][quota]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const fs::path file = work / "f24m";
  std::string content = RandomContent(24 * kChunk - 5);
  WriteAll(file, content);
  KillPutMidway(setup, file, "/f24m");
  CHECK(ReservedBytes(suite, laptop) > 24 * kChunk);

  // A byte more: another file, another upload; the one killed must not stay held.
  content += "!";
  WriteAll(file, content);
  MustRun(laptop, {"put", file.string(), "/f24m"});
  CHECK(ReservedBytes(suite, laptop) == 0);
  MustRun(laptop, {"get", "/f24m", (work / "back").string()});
  CHECK(ReadAll(work / "back") == content);
}

TEST_CASE("`bitcontent uploads` lists what killed puts hold, and --abort and --all free it",
          "[integration][cli][transfer][quota]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const std::string content = RandomContent(24 * kChunk - 5);
  WriteAll(work / "one.bin", content);
  WriteAll(work / "two.bin", content + "2");
  WriteAll(work / "three.bin", content + "3");
  CHECK_THAT(MustRun(laptop, {"uploads"}).output, Catch::Contains("no unfinished uploads"));
  KillPutMidway(setup, work / "one.bin", "/one.bin");

  const CliResult listed = MustRun(laptop, {"uploads"});
  INFO(listed.output);
  CHECK_THAT(listed.output, Catch::Contains("24.0 MiB"));
  CHECK_THAT(listed.output,
             Catch::Contains(absl::StrCat("/one.bin from ", (work / "one.bin").string())));
  CHECK_THAT(listed.output, Catch::Contains("1 unfinished upload holds"));
  const std::vector<std::string> ids = ListedUploads(laptop);
  REQUIRE(ids.size() == 1);

  const CliResult aborted = MustRun(laptop, {"uploads", "--abort", ids[0]});
  CHECK_THAT(aborted.output, Catch::Contains(absl::StrCat("aborted ", ids[0])));
  CHECK(ReservedBytes(suite, laptop) == 0);
  CHECK(ListedUploads(laptop).empty());
  // Aborting again frees nothing and says so; what is no upload id is refused.
  CHECK(MustRun(laptop, {"uploads", "--abort", ids[0]}).output ==
        absl::StrCat(ids[0], " had ended already (aborted); it holds none of your quota\n"));
  const CliResult bogus = laptop.Run({"uploads", "--abort", "one.bin"});
  CHECK(bogus.exit_code == 2);  // a usage error
  CHECK_THAT(bogus.output, Catch::Contains("\"one.bin\" is not an upload id"));
  // Run again, the put starts over (its upload is gone) and finishes.
  MustRun(laptop, {"put", (work / "one.bin").string(), "/one.bin"});
  MustRun(laptop, {"get", "/one.bin", (work / "back").string()});
  CHECK(ReadAll(work / "back") == content);

  KillPutMidway(setup, work / "two.bin", "/two.bin");
  KillPutMidway(setup, work / "three.bin", "/three.bin");
  CHECK(ListedUploads(laptop).size() == 2);
  CHECK_THAT(MustRun(laptop, {"uploads", "--all"}).output, Catch::Contains("aborted 2 uploads"));
  CHECK(ReservedBytes(suite, laptop) == 0);
  CHECK(ListedUploads(laptop).empty());
}

TEST_CASE("logout aborts the uploads killed puts left and forgets their keys",
          "[integration][cli][transfer][quota]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  WriteAll(work / "one.bin", RandomContent(24 * kChunk - 5));
  KillPutMidway(setup, work / "one.bin", "/one.bin");
  const auto saved = [&] {
    size_t count = 0;
    for (const auto& entry : fs::directory_iterator(laptop.dir() / "config")) {
      count += absl::EndsWith(entry.path().filename().string(), ".pending");
    }
    return count;
  };
  REQUIRE(saved() == 1);  // It holds the file's key, to resume.
  REQUIRE(ReservedBytes(suite, laptop) > 0);

  const CliResult out = MustRun(laptop, {"logout"});
  CHECK_THAT(out.output, Catch::Contains("logged out") &&
                             Catch::Contains("aborted 1 unfinished upload this device began"));
  CHECK(saved() == 0);
  REQUIRE(laptop.Run({"login", "ada@example.com"}, "a secret\n").exit_code == 0);
  CHECK(ReservedBytes(suite, laptop) == 0);
  CHECK(ListedUploads(laptop).empty());
}

TEST_CASE("the owner of a shared folder sees and aborts what a writer's killed put holds",
          "[integration][cli][transfer][quota][share]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  Device bob(suite, "bob");
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);
  MustRun(laptop, {"mkdir", "/Team"});
  MustRun(laptop, {"share", "/Team", "bob@example.com", "--write"});
  const std::string content = RandomContent(24 * kChunk - 5);
  WriteAll(work / "draft.bin", content);
  KillPutMidway(setup, work / "draft.bin", "shared:Team/draft.bin", &bob);
  REQUIRE(ReservedBytes(suite, laptop) > 24 * kChunk);

  // Ada sees where it goes and who began it; it holds her quota, not his.
  const CliResult listed = MustRun(laptop, {"uploads"});
  INFO(listed.output);
  // Not hers to resume: the hint is for the device that began it.
  CHECK_THAT(listed.output, Catch::Contains("into /Team/ (begun by bob@example.com)") &&
                                Catch::Contains("1 unfinished upload holds 24.0 MiB of your") &&
                                !Catch::Contains("nodes/") && !Catch::Contains("resumes"));
  const CliResult his = MustRun(bob, {"uploads"});
  CHECK_THAT(his.output, Catch::Contains("shared:Team/draft.bin from ") &&
                             Catch::Contains("none holds any of your quota") &&
                             Catch::Contains("1 holds the quota of a folder shared with you") &&
                             Catch::Contains("running the same put again resumes"));
  const std::vector<std::string> ids = ListedUploads(laptop);
  REQUIRE(ids.size() == 1);
  REQUIRE(ListedUploads(bob) == ids);

  // --all takes only her own; his is hers to stop by its id.
  const CliResult all = laptop.Run({"uploads", "--all"});
  CHECK(all.exit_code == 0);
  CHECK_THAT(all.output,
             Catch::Contains("aborted 0 uploads") &&
                 Catch::Contains(absl::StrCat("left ", ids[0], ": bob@example.com began it")));
  CHECK(ListedUploads(laptop) == ids);
  CHECK_THAT(MustRun(laptop, {"uploads", "--abort", ids[0]}).output,
             Catch::Contains(absl::StrCat("aborted ", ids[0])));
  CHECK(ReservedBytes(suite, laptop) == 0);
  CHECK(ListedUploads(laptop).empty());
  CHECK(ListedUploads(bob).empty());
  // A third member may neither see nor stop anyone's upload.
  Device eve(suite, "eve");
  REQUIRE(eve.Run({"signup", "eve@example.com"}, "eve's secret\n").exit_code == 0);
  const CliResult stranger = eve.Run({"uploads", "--abort", ids[0]});
  CHECK(stranger.exit_code == 1);
  CHECK_THAT(stranger.output, Catch::Contains("you have no upload"));

  // His put, run again, starts over and lands in her folder.
  MustRun(bob, {"put", (work / "draft.bin").string(), "shared:Team/draft.bin"});
  MustRun(laptop, {"get", "/Team/draft.bin", (work / "back").string()});
  CHECK(ReadAll(work / "back") == content);
  CHECK(ReservedBytes(suite, laptop) == 0);
}

TEST_CASE("purging a folder aborts the unfinished uploads into it and gives their quota back",
          "[integration][cli][transfer][quota]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const std::string content = RandomContent(24 * kChunk - 5);
  WriteAll(work / "x.bin", content);
  MustRun(laptop, {"mkdir", "/Tmp"});
  KillPutMidway(setup, work / "x.bin", "/Tmp/x.bin");
  REQUIRE(ReservedBytes(suite, laptop) > 24 * kChunk);
  MustRun(laptop, {"rm", "/Tmp"});
  CHECK_THAT(MustRun(laptop, {"purge", "/Tmp"}).output,
             Catch::Contains("purged /Tmp; 24.0 MiB back in your quota"));
  CHECK(ReservedBytes(suite, laptop) == 0);
  CHECK_THAT(MustRun(laptop, {"uploads"}).output, Catch::Contains("no unfinished uploads"));
  // What this device saved to resume it is forgotten: a new /Tmp starts afresh.
  for (const auto& entry : fs::directory_iterator(laptop.dir() / "config")) {
    CHECK_FALSE(absl::EndsWith(entry.path().string(), ".pending"));
  }
  MustRun(laptop, {"mkdir", "/Tmp"});
  MustRun(laptop, {"put", (work / "x.bin").string(), "/Tmp/x.bin"});
  CHECK_THAT(MustRun(laptop, {"uploads"}).output, Catch::Contains("no unfinished uploads"));
  MustRun(laptop, {"get", "/Tmp/x.bin", (work / "back").string()});
  CHECK(ReadAll(work / "back") == content);
}

TEST_CASE("a killed put of standard input is listed as this device's, and run again frees it",
          "[integration][cli][transfer][quota]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const std::string content = RandomContent(24 * kChunk - 5);
  KillPutMidway(setup, "-", "/db.sql", nullptr, content);
  const CliResult listed = MustRun(laptop, {"uploads"});
  INFO(listed.output);
  CHECK_THAT(listed.output,
             Catch::Contains("/db.sql from standard input (cannot resume; the same put run "
                             "again frees it)") &&
                 !Catch::Contains("another device"));
  REQUIRE(ReservedBytes(suite, laptop) > 24 * kChunk);

  const CliResult again = laptop.Run({"put", "-", "/db.sql"}, content);
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  CHECK(ReservedBytes(suite, laptop) == 0);
  CHECK(ListedUploads(laptop).empty());
  MustRun(laptop, {"get", "/db.sql", (work / "back").string()});
  CHECK(ReadAll(work / "back") == content);
}

TEST_CASE("a killed put into a folder replaced since is aborted when the put starts over",
          "[integration][cli][transfer][quota]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const fs::path file = work / "big.bin";
  const std::string content = RandomContent(24 * kChunk - 5);
  WriteAll(file, content);
  MustRun(laptop, {"mkdir", "/RF"});
  KillPutMidway(setup, file, "/RF/big.bin");
  REQUIRE(ReservedBytes(suite, laptop) > 24 * kChunk);
  // Another device trashes the folder and makes a new one of the same name: the saved
  // upload went into the old one and can never resume.
  MustRun(laptop, {"rm", "/RF"});
  MustRun(laptop, {"mkdir", "/RF"});
  MustRun(laptop, {"put", file.string(), "/RF/big.bin"});
  CHECK(ReservedBytes(suite, laptop) == 0);
  CHECK(ListedUploads(laptop).empty());
  for (const fs::directory_entry& kept : fs::directory_iterator(laptop.dir() / "config")) {
    CHECK_FALSE(absl::StartsWith(kept.path().filename().string(), "upload-"));
  }
}

TEST_CASE("a second put of the same file to the same place is refused at once while one runs",
          "[integration][cli][transfer][lock]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const fs::path file = work / "race.bin";
  const std::string content = RandomContent(96 * kChunk);
  WriteAll(file, content);
  std::unique_ptr<launch::Process> first =
      laptop.Start({"put", "--parallel=1", file.string(), "/race.bin"});
  REQUIRE(first != nullptr);
  for (int i = 0; i < 2000 && ChunkFiles(suite).size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(ChunkFiles(suite).size() >= 2);

  const CliResult second = laptop.Run({"put", file.string(), "/race.bin"});
  INFO(second.output);
  CHECK(second.exit_code == 1);
  CHECK_THAT(second.output,
             Catch::Contains(absl::StrCat("another bitcontent put of ", file.string(),
                                          " to /race.bin is running; wait for it to finish")));
  CHECK(first->Running());  // The refusal came at once, not after the first was done.
  REQUIRE(first->Wait(absl::Seconds(120)).value_or(-1) == 0);
  MustRun(laptop, {"get", "/race.bin", (work / "back").string()});
  CHECK(ReadAll(work / "back") == content);
  CHECK(ReservedBytes(suite, laptop) == 0);
  CHECK(ListedUploads(laptop).empty());
}

TEST_CASE("a second get to the same file is refused at once while one runs",
          "[integration][cli][transfer][lock]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const std::string content = RandomContent(96 * kChunk - 5);
  WriteAll(work / "big.bin", content);
  MustRun(laptop, {"put", (work / "big.bin").string(), "/"});
  const fs::path back = work / "back.bin";
  std::unique_ptr<launch::Process> first =
      laptop.Start({"get", "--parallel=1", "/big.bin", back.string()});
  REQUIRE(first != nullptr);
  for (int i = 0; i < 2000 && !fs::exists(back.string() + ".bitcontent-part"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const CliResult second = laptop.Run({"get", "/big.bin", back.string()});
  INFO(second.output);
  CHECK(second.exit_code == 1);
  CHECK_THAT(second.output,
             Catch::Contains(absl::StrCat("another bitcontent get to ", back.string(),
                                          " is running; wait for it to finish")));
  REQUIRE(first->Wait(absl::Seconds(120)).value_or(-1) == 0);
  CHECK(ReadAll(back) == content);
  CHECK_FALSE(fs::exists(back.string() + ".bitcontent-part"));
}

TEST_CASE("a get into a directory that does not exist says so before it fetches anything",
          "[integration][cli][transfer]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  WriteAll(work / "a.txt", "hello");
  MustRun(laptop, {"put", (work / "a.txt").string(), "/"});
  const fs::path missing = work / "missing";
  for (const std::string& local : {(missing / "").string(), (missing / "a.txt").string()}) {
    const CliResult got = laptop.Run({"get", "/a.txt", local});
    INFO(got.output);
    CHECK(got.exit_code == 1);
    CHECK_THAT(got.output,
               Catch::Contains(absl::StrCat("there is no directory ", missing.string(), "/")));
    CHECK_THAT(got.output, Catch::Contains("make it first"));
    CHECK_FALSE(fs::exists(missing));
  }
  // Into a directory that exists, with or without the slash, it lands under its own name.
  fs::create_directories(work / "into");
  MustRun(laptop, {"get", "/a.txt", (work / "into").string() + "/"});
  CHECK(ReadAll(work / "into" / "a.txt") == "hello");
}

// Runs `bitcontent args...` on a terminal of its own (a pseudo-terminal for standard
// output and error, as a member's shell gives it) and returns every byte it wrote
// there, control characters and all; fails the test unless it exits 0.
std::string RunOnTerminal(testing::TestSuite& suite, const Device& device,
                          const std::vector<std::string>& args) {
  std::vector<std::string> full = {
      testing::BinaryDir() + "/clients/cli/bitcontent",
      "--server=http://" + suite->addresses("gateway").at("public_rest"),
      "--config-dir=" + (device.dir() / "config").string()};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : full) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int terminal = -1;
  struct winsize size = {};
  size.ws_row = 24;
  size.ws_col = 200;
  const pid_t pid = forkpty(&terminal, nullptr, nullptr, &size);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  std::string output;
  const absl::Time deadline = absl::Now() + absl::Seconds(120);
  while (absl::Now() < deadline) {
    struct pollfd ready = {.fd = terminal, .events = POLLIN, .revents = 0};
    if (poll(&ready, 1, 100) <= 0) continue;
    char buffer[4096];
    const ssize_t n = read(terminal, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EIO: the program ended and closed the terminal.
    output.append(buffer, static_cast<size_t>(n));
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  close(terminal);
  INFO(output);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return output;
}

TEST_CASE("on a terminal the progress line is cleared before the result, with no blank line",
          "[integration][cli][transfer][terminal]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  MustRun(laptop, {"mkdir", "/Docs"});
  const std::string content = RandomContent(4 * kChunk);
  WriteAll(work / "f4m", content);

  const std::string put =
      RunOnTerminal(suite, laptop, {"put", (work / "f4m").string(), "/Docs/tty4"});
  INFO(absl::CEscape(put));
  CHECK_THAT(put, Catch::Contains("ETA"));  // The line was drawn...
  // ... and erased before the result, which ends the output on a line of its own.
  CHECK(absl::EndsWith(
      put, absl::StrCat("\r\033[Kuploaded ", (work / "f4m").string(), " to /Docs/tty4\r\n")));
  CHECK_FALSE(absl::StrContains(put, "\r\n\r\n"));

  const std::string get =
      RunOnTerminal(suite, laptop, {"get", "/Docs/tty4", (work / "back").string()});
  INFO(absl::CEscape(get));
  CHECK(absl::EndsWith(
      get, absl::StrCat("\r\033[Kdownloaded /Docs/tty4 to ", (work / "back").string(), "\r\n")));
  CHECK_FALSE(absl::StrContains(get, "\r\n\r\n"));
  CHECK(ReadAll(work / "back") == content);
}

struct PipedRun {
  int exit_code = -1;
  std::string said;  // Standard error.
};

// Runs `bitcontent args...` in `dir` with `input` as standard input and standard output
// to `output`, apart from standard error.
PipedRun RunPiped(testing::TestSuite& suite, const Device& device,
                  const std::vector<std::string>& args, const fs::path& dir, const fs::path& input,
                  const fs::path& output) {
  std::string command = absl::StrCat("cd '", dir.string(), "' && exec '", testing::BinaryDir(),
                                     "/clients/cli/bitcontent' ", "'--server=http://",
                                     suite->addresses("gateway").at("public_rest"),
                                     "' '--config-dir=", (device.dir() / "config").string(), "'");
  for (const std::string& arg : args) absl::StrAppend(&command, " '", arg, "'");
  absl::StrAppend(&command, " < '", input.string(), "' > '", output.string(), "'");
  const fs::path said = device.dir() / "said";
  fs::remove(said);
  absl::StatusOr<std::unique_ptr<launch::Process>> process = launch::Process::Start(
      {.name = "bitcontent", .binary = "sh", .args = {"-c", command}, .log_path = said.string()});
  REQUIRE(process.ok());
  PipedRun run;
  run.exit_code = (*process)->Wait(absl::Seconds(120)).value_or(-1);
  run.said = ReadAll(said);
  return run;
}

TEST_CASE("`-` is standard input for put and standard output for get",
          "[integration][cli][transfer][stdio]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  MustRun(laptop, {"mkdir", "/Docs"});
  // More chunks than a get's workers hold ahead of what it has written.
  const std::string content = RandomContent(20 * kChunk + 7);
  WriteAll(work / "in.bin", content);
  WriteAll(work / "empty", "");

  const PipedRun put =
      RunPiped(suite, laptop, {"put", "-", "/Docs/f1"}, work, work / "in.bin", work / "put.out");
  INFO(put.said);
  REQUIRE(put.exit_code == 0);
  CHECK(ReadAll(work / "put.out") == "uploaded standard input to /Docs/f1\n");
  MustRun(laptop, {"get", "/Docs/f1", (work / "back").string()});
  CHECK(ReadAll(work / "back") == content);

  const PipedRun get = RunPiped(suite, laptop, {"get", "--parallel=4", "/Docs/f1", "-"}, work,
                                work / "empty", work / "stdout.bin");
  INFO(get.said);
  REQUIRE(get.exit_code == 0);
  CHECK(ReadAll(work / "stdout.bin") == content);  // Only the file's bytes, in order.
  CHECK_THAT(get.said, Catch::Contains("downloaded /Docs/f1 to standard output"));
  CHECK_FALSE(fs::exists(work / "-"));
  CHECK_FALSE(fs::exists(work / "-.bitcontent-part"));

  // An empty stream is an empty file; a stream needs a name to go by.
  REQUIRE(
      RunPiped(suite, laptop, {"put", "-", "/Docs/nothing"}, work, work / "empty", work / "put.out")
          .exit_code == 0);
  MustRun(laptop, {"get", "/Docs/nothing", (work / "nothing").string()});
  CHECK(ReadAll(work / "nothing").empty());
  const PipedRun unnamed =
      RunPiped(suite, laptop, {"put", "-", "/Docs/"}, work, work / "in.bin", work / "put.out");
  CHECK(unnamed.exit_code == 1);
  CHECK_THAT(unnamed.said, Catch::Contains("standard input has no name of its own"));
  CHECK(ReservedBytes(suite, laptop) == 0);
}

TEST_CASE("a folder of one's own comes down whole, with its folders, and without its trash",
          "[integration][cli][transfer][folder]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  MustRun(laptop, {"mkdir", "/Music"});
  MustRun(laptop, {"mkdir", "/Music/Live 2026"});
  MustRun(laptop, {"mkdir", "/Music/Empty"});
  const std::string song = RandomContent(kChunk + 1);
  const std::string concert = RandomContent(3 * kChunk);
  WriteAll(work / "song", song);
  WriteAll(work / "concert", concert);
  MustRun(laptop, {"put", (work / "song").string(), "/Music/song.mp3"});
  MustRun(laptop, {"put", (work / "concert").string(), "/Music/Live 2026/concert.mp3"});
  MustRun(laptop, {"put", (work / "song").string(), "/Music/gone.mp3"});
  MustRun(laptop, {"rm", "/Music/gone.mp3"});

  // A directory that does not exist becomes the folder.
  const CliResult got = MustRun(laptop, {"get", "/Music", (work / "copy").string()});
  CHECK_THAT(got.output, Catch::Contains("downloaded /Music to"));
  CHECK(ReadAll(work / "copy" / "song.mp3") == song);
  CHECK(ReadAll(work / "copy" / "Live 2026" / "concert.mp3") == concert);
  CHECK(fs::is_directory(work / "copy" / "Empty"));
  CHECK_FALSE(fs::exists(work / "copy" / "gone.mp3"));
  // Into a directory that exists, under the folder's own name, as cp -r does.
  fs::create_directories(work / "into");
  MustRun(laptop, {"get", "/Music/Live 2026", (work / "into").string()});
  CHECK(ReadAll(work / "into" / "Live 2026" / "concert.mp3") == concert);

  // A file that cannot come down (a directory is in its place here) is named, and the
  // rest still come: the run says how many did not.
  fs::create_directories(work / "blocked" / "Music" / "song.mp3");
  const CliResult blocked = laptop.Run({"get", "/Music", (work / "blocked").string()});
  CHECK(blocked.exit_code == 1);
  CHECK_THAT(blocked.output, Catch::Contains("song.mp3") &&
                                 Catch::Contains("1 of 2 files did not come down (above)"));
  CHECK(ReadAll(work / "blocked" / "Music" / "Live 2026" / "concert.mp3") == concert);

  // A folder has no single stream of bytes and no versions.
  const CliResult piped = laptop.Run({"get", "/Music", "-"});
  CHECK(piped.exit_code == 1);
  CHECK_THAT(piped.output,
             Catch::Contains("/Music is a folder, which cannot go to standard output"));
  CHECK(
      laptop
          .Run({"get", "/Music", (work / "v").string(), "--version", "01HZZZZZZZZZZZZZZZZZZZZZZZ"})
          .exit_code == 1);
  CHECK_FALSE(fs::exists(work / "v"));

  // Several into a directory that exists, as cp does; one missing is named, the rest come.
  fs::create_directories(work / "several");
  const CliResult several = laptop.Run({"get", "/Music/song.mp3", "/Music/nothing",
                                        "/Music/Live 2026", (work / "several").string()});
  CHECK(several.exit_code == 1);
  CHECK_THAT(several.output, Catch::Contains("1 of 3 did not come down"));
  CHECK(ReadAll(work / "several" / "song.mp3") == song);
  CHECK(ReadAll(work / "several" / "Live 2026" / "concert.mp3") == concert);
  const CliResult no_dir =
      laptop.Run({"get", "/Music/song.mp3", "/Music/Empty", (work / "nowhere").string()});
  CHECK(no_dir.exit_code == 1);
  CHECK_THAT(no_dir.output, Catch::Contains("several downloads go into a directory"));
}

TEST_CASE("a directory goes up whole, and a second run sends only what changed",
          "[integration][cli][transfer][folder]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const fs::path photos = work / "Photos";
  fs::create_directories(photos / "2026" / "Sicily");
  fs::create_directories(photos / "empty");
  const std::string big = RandomContent(2 * kChunk + 3);
  WriteAll(photos / "big.raw", big);
  WriteAll(photos / "2026" / "Sicily" / "beach.jpg", "sand");
  WriteAll(photos / "2026" / "note.txt", "first");
  fs::create_symlink("/etc/hostname", photos / "elsewhere");
  WriteAll(photos / "two\nlines", "a name no folder holds");

  // What could go went; the file whose name cannot be stored makes the put fail (for
  // scripts), the symbolic link, left out by design, does not.
  const CliResult first = laptop.Run({"put", photos.string(), "/"});
  CHECK(first.exit_code == 1);
  CHECK_THAT(first.output, Catch::Contains("to /Photos: 3 files sent, 0 unchanged, 2 skipped") &&
                               Catch::Contains("1 file was not sent for its name"));
  CHECK_THAT(first.output, Catch::Contains("the control character \\n"));
  CHECK_THAT(first.output,
             Catch::Contains("skipped " + (photos / "elsewhere").string() + ": a symbolic link"));
  CHECK_THAT(MustRun(laptop, {"ls", "/Photos"}).output,
             Catch::Contains("2026/") && Catch::Contains("empty/") && Catch::Contains("big.raw") &&
                 !Catch::Contains("elsewhere"));

  // Again: nothing sent. Then one file changes: only it goes, as a new version.
  fs::remove(photos / "two\nlines");
  CHECK_THAT(MustRun(laptop, {"put", photos.string(), "/"}).output,
             Catch::Contains("0 files sent, 3 unchanged"));
  WriteAll(photos / "2026" / "note.txt", "second");
  CHECK_THAT(MustRun(laptop, {"put", photos.string(), "/"}).output,
             Catch::Contains("1 file sent, 2 unchanged"));
  CHECK_THAT(MustRun(laptop, {"versions", "/Photos/2026/note.txt"}).output,
             Catch::Contains("(current)"));

  // What comes back is what went up, symbolic link aside.
  MustRun(laptop, {"get", "/Photos", (work / "back").string()});
  CHECK(ReadAll(work / "back" / "big.raw") == big);
  CHECK(ReadAll(work / "back" / "2026" / "Sicily" / "beach.jpg") == "sand");
  CHECK(ReadAll(work / "back" / "2026" / "note.txt") == "second");
  CHECK(fs::is_directory(work / "back" / "empty"));
  CHECK_FALSE(fs::exists(work / "back" / "elsewhere"));
  // Onto a local file: said so, nothing written.
  WriteAll(work / "afile", "mine");
  const CliResult onto_local_file = laptop.Run({"get", "/Photos", (work / "afile").string()});
  CHECK(onto_local_file.exit_code == 1);
  CHECK_THAT(onto_local_file.output, Catch::Contains("afile is a file, not a directory"));
  CHECK(ReadAll(work / "afile") == "mine");

  // A file where the folder would go is refused, and nothing is sent.
  const CliResult onto_file = laptop.Run({"put", photos.string(), "/Photos/big.raw"});
  CHECK(onto_file.exit_code == 1);
  CHECK_THAT(onto_file.output, Catch::Contains("/Photos/big.raw is a file"));

  // An entry in the way is told and counted, and the rest still go.
  const fs::path letters = work / "U";
  fs::create_directories(letters);
  for (const char* letter : {"a", "b", "c", "d", "e"}) WriteAll(letters / letter, letter);
  MustRun(laptop, {"mkdir", "-p", "/U/c"});
  const CliResult blocked = laptop.Run({"put", letters.string(), "/"});
  CHECK(blocked.exit_code == 1);
  CHECK_THAT(blocked.output, Catch::Contains("/U/c is a folder where") &&
                                 Catch::Contains("4 files sent") &&
                                 Catch::Contains("1 entry was not sent (above)"));
  CHECK(MustRun(laptop, {"ls", "/U"}).output == "a\nb\nc/\nd\ne\n");

  // Each folder is listed once, not once for every file put into it (which, from the root
  // each time, made a folder of n files cost n times its depth in listings of n entries).
  const fs::path many = work / "many";
  fs::create_directories(many / "inner");
  for (int i = 0; i < 30; ++i) WriteAll(many / "inner" / absl::StrCat("f", i), absl::StrCat(i));
  MustRun(laptop, {"mkdir", "-p", "/x/y/z"});
  const std::string kListings = "GET /v1/nodes/{node}/children";
  const uint64_t listed = Answered(suite, kListings);
  CHECK_THAT(MustRun(laptop, {"put", many.string(), "/x/y/z"}).output,
             Catch::Contains("30 files sent"));
  CHECK(Answered(suite, kListings) - listed <= 12);
  CHECK(MustRun(laptop, {"ls", "/x/y/z/many/inner/f29"}).output == "f29\n");

  // A link to a directory goes up under the link's name, as cp -r names it, trailing
  // slash or not.
  fs::create_symlink(many / "inner", work / "shortcut");
  MustRun(laptop, {"put", (work / "shortcut").string() + "/", "/x/"});
  CHECK(MustRun(laptop, {"ls", "/x"}).output == "shortcut/\ny/\n");
}

// A name may be 255 bytes, as long as a file system takes: the download's partial file
// cannot be NAME.bitcontent-part then, and must not stop it.
TEST_CASE("a file with a name of 255 bytes comes down under its own name",
          "[integration][cli][transfer]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const std::string name(255, 'n');
  WriteAll(work / name, "long-named");
  MustRun(laptop, {"put", (work / name).string(), "/"});
  const fs::path down = work / "down";
  fs::create_directories(down);
  MustRun(laptop, {"get", "/" + name, down.string()});
  CHECK(ReadAll(down / name) == "long-named");
  CHECK(std::distance(fs::directory_iterator(down), fs::directory_iterator()) == 1);

  // A directory where the file would go is said before anything is fetched.
  fs::create_directories(down / "again" / name);
  const CliResult taken = laptop.Run({"get", "/" + name, (down / "again").string()});
  CHECK(taken.exit_code == 1);
  CHECK_THAT(taken.output, Catch::Contains("is a directory here"));
  CHECK(std::distance(fs::directory_iterator(down / "again"), fs::directory_iterator()) == 1);

  // Standard input goes to a named place, never to a file called -.
  const CliResult dash = laptop.Run({"put", "-", "-"}, "piped");
  CHECK(dash.exit_code == 1);
  CHECK_THAT(dash.output, Catch::Contains("- is standard input, not a place in your files"));
}

TEST_CASE("a get leaves the member's own NAME.part and NAME.part.state as they are",
          "[integration][cli][transfer][destination]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  const std::string content = RandomContent(2 * kChunk + 3);
  WriteAll(work / "a.txt", content);
  MustRun(laptop, {"put", (work / "a.txt").string(), "/"});
  fs::remove(work / "a.txt");
  WriteAll(work / "a.txt.part", "my notes");
  WriteAll(work / "a.txt.part.state", "my state");
  MustRun(laptop, {"get", "/a.txt", (work / "a.txt").string()});
  CHECK(ReadAll(work / "a.txt") == content);
  CHECK(ReadAll(work / "a.txt.part") == "my notes");
  CHECK(ReadAll(work / "a.txt.part.state") == "my state");
  // Into a directory, under its own name, and over the file already there: the same.
  MustRun(laptop, {"get", "/a.txt", work.string()});
  CHECK(ReadAll(work / "a.txt") == content);
  CHECK(ReadAll(work / "a.txt.part") == "my notes");
  CHECK(ReadAll(work / "a.txt.part.state") == "my state");
  CHECK_FALSE(fs::exists(work / "a.txt.bitcontent-part"));
  CHECK_FALSE(fs::exists(work / "a.txt.bitcontent-part.state"));
}

// Reads the FIFO at `path` to its end on a thread of its own, as another program would.
class FifoReader {
 public:
  explicit FifoReader(fs::path path)
      : path_(std::move(path)), thread_([this] { received_ = ReadAll(path_); }) {}

  // What came through, once the writer closed it. A writer that never opened it is
  // stood in for (opened and closed at once), so the test fails rather than hangs.
  std::string Received() {
    const int unblock = open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (unblock >= 0) close(unblock);
    thread_.join();
    return received_;
  }

 private:
  const fs::path path_;
  std::string received_;
  std::thread thread_;
};

// A socket bound at a short path of its own (a socket's path is at most 107 bytes).
struct BoundSocket {
  BoundSocket() {
    char made[] = "/tmp/bitcontent-sock-XXXXXX";
    REQUIRE(mkdtemp(made) != nullptr);
    dir = made;
    path = dir / "sock";
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    struct sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof(address.sun_path), "%s", path.c_str());
    REQUIRE(bind(fd, reinterpret_cast<const struct sockaddr*>(&address), sizeof(address)) == 0);
  }
  ~BoundSocket() {
    close(fd);
    fs::remove_all(dir);
  }

  fs::path dir = {};
  fs::path path = {};
  int fd = -1;
};

TEST_CASE("a get follows a link, writes into a FIFO, and replaces nothing but a regular file",
          "[integration][cli][transfer][destination]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  // More chunks than a stream's workers hold ahead of what is written, so order shows.
  const std::string content = RandomContent(20 * kChunk + 7);
  WriteAll(work / "data.bin", content);
  MustRun(laptop, {"put", (work / "data.bin").string(), "/"});

  // A link to a file: the file gets the bytes, the link stays a link.
  WriteAll(work / "target.bin", "old");
  fs::create_symlink(work / "target.bin", work / "link.bin");
  MustRun(laptop, {"get", "/data.bin", (work / "link.bin").string()});
  CHECK(fs::is_symlink(work / "link.bin"));
  CHECK(ReadAll(work / "target.bin") == content);
  CHECK_FALSE(fs::exists(work / "target.bin.bitcontent-part"));

  // A link to nothing is refused, and left as it was.
  fs::create_symlink(work / "nowhere.bin", work / "dangling.bin");
  const CliResult dangling = laptop.Run({"get", "/data.bin", (work / "dangling.bin").string()});
  CHECK(dangling.exit_code == 1);
  CHECK_THAT(dangling.output, Catch::Contains("not writing through dangling symlink"));
  CHECK(fs::is_symlink(work / "dangling.bin"));
  CHECK(fs::read_symlink(work / "dangling.bin") == work / "nowhere.bin");
  CHECK_FALSE(fs::exists(work / "nowhere.bin"));

  // A FIFO gets the bytes in order, and stays a FIFO.
  REQUIRE(mkfifo((work / "fifo").c_str(), 0600) == 0);
  FifoReader reader(work / "fifo");
  const CliResult piped =
      laptop.Run({"get", "--parallel=4", "/data.bin", (work / "fifo").string()});
  INFO(piped.output);
  CHECK(piped.exit_code == 0);
  CHECK(reader.Received() == content);
  CHECK(fs::is_fifo(work / "fifo"));

  // A socket is refused before anything is fetched, and stays.
  BoundSocket bound;
  const uint64_t before = ChunksGot(suite);
  const CliResult socket = laptop.Run({"get", "/data.bin", bound.path.string()});
  CHECK(socket.exit_code == 1);
  CHECK_THAT(socket.output, Catch::Contains("is a socket here"));
  CHECK(fs::is_socket(bound.path));
  CHECK(ChunksGot(suite) == before);

  // Several into a directory: each name taken as one alone is.
  fs::create_directories(work / "into");
  WriteAll(work / "elsewhere.bin", "old");
  fs::create_symlink(work / "elsewhere.bin", work / "into" / "data.bin");
  MustRun(laptop, {"put", (work / "target.bin").string(), "/other.bin"});
  MustRun(laptop, {"get", "/data.bin", "/other.bin", (work / "into").string()});
  CHECK(fs::is_symlink(work / "into" / "data.bin"));
  CHECK(ReadAll(work / "elsewhere.bin") == content);
  CHECK(ReadAll(work / "into" / "other.bin") == content);
}

TEST_CASE("a folder download writes through no link and into no FIFO, and replaces neither",
          "[integration][cli][transfer][destination][folder]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  MustRun(laptop, {"mkdir", "/F"});
  MustRun(laptop, {"mkdir", "/F/Sub"});
  WriteAll(work / "one", "first");
  MustRun(laptop, {"put", (work / "one").string(), "/F/linked.txt"});
  MustRun(laptop, {"put", (work / "one").string(), "/F/piped.txt"});
  MustRun(laptop, {"put", (work / "one").string(), "/F/plain.txt"});
  MustRun(laptop, {"put", (work / "one").string(), "/F/Sub/inner.txt"});

  // Files' places taken by a link and a FIFO: those two are refused, the rest come.
  const fs::path local = work / "local" / "F";
  fs::create_directories(local);
  WriteAll(work / "victim.txt", "mine");
  fs::create_symlink(work / "victim.txt", local / "linked.txt");
  REQUIRE(mkfifo((local / "piped.txt").c_str(), 0600) == 0);
  const CliResult got = laptop.Run({"get", "/F", (work / "local").string()});
  INFO(got.output);
  CHECK(got.exit_code == 1);
  CHECK_THAT(got.output, Catch::Contains("linked.txt is a symbolic link here") &&
                             Catch::Contains("piped.txt is a FIFO here") &&
                             Catch::Contains("2 of 4 files did not come down"));
  CHECK(fs::is_symlink(local / "linked.txt"));
  CHECK(ReadAll(work / "victim.txt") == "mine");
  CHECK(fs::is_fifo(local / "piped.txt"));
  CHECK(ReadAll(local / "plain.txt") == "first");
  CHECK(ReadAll(local / "Sub" / "inner.txt") == "first");

  // A link where a folder goes stops it, as cp -r refuses it: nothing goes where it leads.
  const fs::path other = work / "other" / "F";
  fs::create_directories(other);
  fs::create_directories(work / "outside");
  fs::create_symlink(work / "outside", other / "Sub");
  const CliResult linked_folder = laptop.Run({"get", "/F", (work / "other").string()});
  CHECK(linked_folder.exit_code == 1);
  CHECK_THAT(linked_folder.output,
             Catch::Contains("Sub is a symbolic link here, where a folder goes"));
  CHECK(fs::is_symlink(other / "Sub"));
  CHECK(fs::is_empty(work / "outside"));
}

TEST_CASE("several files go into a folder in one put, and one that cannot does not stop the rest",
          "[integration][cli][transfer]") {
  Laptop setup;
  auto& [suite, laptop, work] = setup;
  MustRun(laptop, {"mkdir", "/Docs"});
  WriteAll(work / "a.txt", "first");
  WriteAll(work / "b.txt", "second");
  const CliResult both =
      MustRun(laptop, {"put", (work / "a.txt").string(), (work / "b.txt").string(), "/Docs"});
  CHECK_THAT(both.output, Catch::Contains("to /Docs/a.txt") && Catch::Contains("to /Docs/b.txt"));
  CHECK(MustRun(laptop, {"ls", "/Docs"}).output == "a.txt\nb.txt\n");

  // Several need a folder to go into.
  const CliResult no_folder =
      laptop.Run({"put", (work / "a.txt").string(), (work / "b.txt").string(), "/Docs/new-name"});
  CHECK(no_folder.exit_code == 1);
  CHECK_THAT(no_folder.output, Catch::Contains("several files go into a folder"));

  // A missing file is named, the others go, and the run says it failed.
  WriteAll(work / "c.txt", "third");
  const CliResult partly =
      laptop.Run({"put", (work / "missing.txt").string(), (work / "c.txt").string(), "/Docs/"});
  CHECK(partly.exit_code == 1);
  CHECK_THAT(partly.output, Catch::Contains("missing.txt") &&
                                Catch::Contains("1 of 2 did not go up") &&
                                Catch::Contains("to /Docs/c.txt"));
  CHECK(MustRun(laptop, {"ls", "/Docs"}).output == "a.txt\nb.txt\nc.txt\n");

  // A folder named with a trailing / is made when it is not there, if its parent is.
  const CliResult made =
      MustRun(laptop, {"put", (work / "a.txt").string(), (work / "b.txt").string(), "/Docs/New/"});
  CHECK_THAT(made.output, Catch::Contains("made /Docs/New") &&
                              Catch::Contains("to /Docs/New/a.txt") &&
                              Catch::Contains("to /Docs/New/b.txt"));
  CHECK(MustRun(laptop, {"ls", "/Docs/New"}).output == "a.txt\nb.txt\n");
  const CliResult deep = laptop.Run({"put", (work / "a.txt").string(), "/Nowhere/New/"});
  CHECK(deep.exit_code == 1);
  CHECK_THAT(deep.output, Catch::Contains("no /Nowhere"));
  // When none goes up, the run says so, and not that the others did.
  const CliResult none =
      laptop.Run({"put", (work / "missing.txt").string(), (work / "gone.txt").string(), "/Docs/"});
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.output,
             Catch::Contains("2 of 2 did not go up") && !Catch::Contains("the others did"));
}

}  // namespace
}  // namespace bitcontent
