// Two storage providers behind the blob service: a real S3-compatible server (s3rver)
// read first and a local directory second. Every chunk
// gets a copy on each; with the S3 server stopped every file still downloads (reads fall
// back), an upload is refused saying which provider failed, and the scrubber puts back a
// copy deleted from the directory. With two directories, a copy damaged on the first is
// read from the second.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bitcontent/blobs/v1/blobs_admin_service.grpc.pb.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/random.h"
#include "libs/kit/channel.h"
#include "services/blobs/s3_provider.h"
#include "tests/integration/blobs_admin.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/integration/local_files.h"
#include "tests/integration/s3_server.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;
using testing::CheapAccounts;
using testing::ChunkFiles;
using testing::CliResult;
using testing::Device;
using testing::MustRun;
using testing::ReadAll;
using testing::S3Server;

TEST_CASE("the S3 provider stores, lists and deletes objects on a real S3 server, signed",
          "[integration][providers][s3]") {
  const fs::path dir = testing::NewTestDirectory("s3-provider");
  absl::StatusOr<std::unique_ptr<S3Server>> s3 = S3Server::Start(dir, "chunks");
  REQUIRE(s3.ok());
  absl::StatusOr<std::unique_ptr<blobs::S3Provider>> provider =
      blobs::S3Provider::Open({.endpoint = (*s3)->endpoint(),
                               .bucket = "chunks",
                               .credentials = {.access_key_id = S3Server::kAccessKeyId,
                                               .secret_access_key = S3Server::kSecretAccessKey}});
  REQUIRE(provider.ok());
  const std::string bytes = crypto::RandomBytes(100000);
  const std::string key = crypto::HexEncode(crypto::Blake2b256(bytes));
  bool existed = true;
  REQUIRE((*provider)->Put(key, bytes, &existed).ok());
  CHECK_FALSE(existed);
  REQUIRE((*provider)->Put(key, bytes, &existed).ok());
  CHECK(existed);
  CHECK((*provider)->Get(key).value_or(std::string()) == bytes);
  CHECK((*provider)->Size(key).value_or(0) == bytes.size());
  absl::StatusOr<blobs::ObjectPage> page = (*provider)->List("", blobs::kListPageMax);
  REQUIRE(page.ok());
  CHECK(page->keys == std::vector<std::string>{key});
  REQUIRE((*provider)->Delete(key).ok());
  CHECK(absl::IsNotFound((*provider)->Get(key).status()));

  // An unknown access key is refused. (s3rver checks the Authorization header's form and
  // the key, not the SigV4 arithmetic, which sigv4_test.cc checks against AWS's example.)
  absl::StatusOr<std::unique_ptr<blobs::S3Provider>> forged = blobs::S3Provider::Open(
      {.endpoint = (*s3)->endpoint(),
       .bucket = "chunks",
       .credentials = {.access_key_id = "NOBODY", .secret_access_key = "wrong"}});
  REQUIRE(forged.ok());
  const absl::Status refused = (*forged)->Put(key, bytes, nullptr);
  CHECK(absl::IsPermissionDenied(refused));
  // And a stopped server is UNAVAILABLE, not a hang.
  REQUIRE((*s3)->Stop().ok());
  CHECK(absl::IsUnavailable((*provider)->Get(key).status()));
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

TEST_CASE("with two providers, one stopped, every file reads, and the scrubber restores a copy",
          "[integration][cli][providers]") {
  const fs::path dir = testing::NewTestDirectory("providers");
  absl::StatusOr<std::unique_ptr<S3Server>> s3 = S3Server::Start(dir / "s3", "chunks");
  INFO(s3.status().message());
  REQUIRE(s3.ok());
  const fs::path local = dir / "local-chunks";
  launch::SuiteOptions options = CheapAccounts();
  options.extra_args["blobs"] = {
      absl::StrCat("--providers=offsite=s3:", (*s3)->endpoint(),
                   "/chunks,local=fs:", local.string()),
      absl::StrCat("--s3_access_key_id=", S3Server::kAccessKeyId),
      absl::StrCat("--s3_secret_access_key=", S3Server::kSecretAccessKey)};
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, options);
  Device ada(suite, "ada");
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  const std::vector<std::string> contents = {crypto::RandomBytes(10), crypto::RandomBytes(900000),
                                             crypto::RandomBytes(1048576) + "tail"};
  for (size_t i = 0; i < contents.size(); ++i) {
    std::ofstream(work / absl::StrCat("f", i), std::ios::binary) << contents[i];
    MustRun(ada, {"put", (work / absl::StrCat("f", i)).string(), "/"});
  }
  // One copy of each of the 4 chunks on each provider.
  REQUIRE(ChunkFiles(local).size() == 4);
  size_t s3_objects = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "s3" / "objects")) {
    s3_objects += entry.path().extension() == "._S3rver_object" ||
                  absl::EndsWith(entry.path().string(), "._S3rver_object");
  }
  REQUIRE(s3_objects == 4);

  auto admin = blobs::v1::BlobsAdminService::NewStub(kit::NewChannel(suite->grpc_address("blobs")));
  const auto providers = [&] { return testing::ListProviders(*admin); };
  INFO(providers().providers(0).last_error());
  CHECK(providers().providers(0).healthy());

  SECTION("the S3 server stopped") {
    REQUIRE((*s3)->Stop().ok());
    CHECK_FALSE(providers().providers(0).healthy());
    CHECK(providers().providers(1).healthy());
    for (size_t i = 0; i < contents.size(); ++i) {
      const fs::path back = work / absl::StrCat("back", i);
      MustRun(ada, {"get", absl::StrCat("/f", i), back.string()});
      CHECK(ReadAll(back) == contents[i]);
    }
    std::ofstream(work / "new", std::ios::binary) << crypto::RandomBytes(1000);
    const CliResult refused = ada.Run({"put", (work / "new").string(), "/"});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.output, Catch::Contains("offsite"));
    // Back up: the interrupted upload resumes and completes.
    REQUIRE((*s3)->Restart().ok());
    MustRun(ada, {"put", (work / "new").string(), "/"});
  }

  SECTION("a copy deleted from the directory") {
    const std::vector<fs::path> chunks = ChunkFiles(local);
    const std::string lost = ReadAll(chunks[1]);
    fs::remove(chunks[1]);
    fs::permissions(chunks[2], fs::perms::owner_write, fs::perm_options::add);
    std::string damaged = ReadAll(chunks[2]);
    damaged[0] ^= 1;
    std::ofstream(chunks[2], std::ios::binary | std::ios::trunc) << damaged;

    const blobs::v1::ScrubRun run = testing::Scrub(*admin, /*repair=*/true);
    CHECK(run.checked_chunk_count() == 4);
    CHECK(run.missing_copy_count() == 1);
    CHECK(run.corrupt_copy_count() == 1);
    CHECK(run.repaired_copy_count() == 2);
    CHECK(run.lost_chunk_count() == 0);
    CHECK(ReadAll(chunks[1]) == lost);
    CHECK(ReadAll(chunks[2]) != damaged);

    // A second pass finds nothing to do.
    const blobs::v1::ScrubRun again = testing::Scrub(*admin, /*repair=*/true);
    CHECK(again.missing_copy_count() + again.corrupt_copy_count() == 0);
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

TEST_CASE("a copy damaged on the provider read first still downloads, from the other one",
          "[integration][cli][providers]") {
  const fs::path dir = testing::NewTestDirectory("damaged-first");
  launch::SuiteOptions options = CheapAccounts();
  options.extra_args["blobs"] = {absl::StrCat("--providers=first=fs:", (dir / "first").string(),
                                              ",second=fs:", (dir / "second").string())};
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, options);
  Device ada(suite, "ada");
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  const std::string content = testing::RandomContent(2 * 1048576 + 100);
  std::ofstream(work / "f", std::ios::binary) << content;
  MustRun(ada, {"put", (work / "f").string(), "/"});
  // Every chunk damaged where blobs reads first: the unchecked copy does not open on the
  // device, which asks blobs to verify, and blobs sends the second provider's.
  const std::vector<fs::path> chunks = ChunkFiles(dir / "first");
  REQUIRE(chunks.size() == 3);
  for (const fs::path& chunk : chunks) {
    fs::permissions(chunk, fs::perms::owner_write, fs::perm_options::add);
    std::string damaged = ReadAll(chunk);
    damaged[damaged.size() / 2] ^= 1;
    std::ofstream(chunk, std::ios::binary | std::ios::trunc) << damaged;
  }
  MustRun(ada, {"get", "/f", (work / "back").string()});
  CHECK(ReadAll(work / "back") == content);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace bitcontent
