// Chunks leave the provider once no version refers to them: a version retention drops
// and a file purged from the trash tell blobs through metadata's durable outbox, and the
// next garbage collection deletes their chunk files, while every file still kept reads
// back whole. Blobs runs with --unreferenced_blob_grace=0s so the test need not wait a day.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "bitcontent/blobs/v1/blobs_admin_service.grpc.pb.h"
#include "libs/kit/channel.h"
#include "tests/integration/blobs_admin.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/integration/local_files.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;
using testing::Device;
using testing::MustRun;
using testing::RandomContent;
using testing::ReadAll;
using testing::WriteAll;

// How many chunk files blobs' filesystem provider holds.
size_t ChunkCount(testing::TestSuite& suite) { return testing::ChunkFiles(suite).size(); }

// Runs garbage collection until the provider holds `expected` chunk files: metadata's
// outbox tells blobs of a dropped reference soon after the change, not within it. Gives
// up after ten seconds and returns what is there.
size_t CollectUntil(testing::TestSuite& suite, size_t expected) {
  auto admin = blobs::v1::BlobsAdminService::NewStub(kit::NewChannel(suite->grpc_address("blobs")));
  for (int attempt = 0; attempt < 100; ++attempt) {
    blobs::v1::StartGarbageCollectionRequest request;
    blobs::v1::GarbageCollectionRun run;
    auto context = kit::NewCallContext(absl::Seconds(30));
    REQUIRE(admin->StartGarbageCollection(context.get(), request, &run).ok());
    REQUIRE(run.state() == blobs::v1::RUN_STATE_SUCCEEDED);
    if (ChunkCount(suite) == expected) return expected;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return ChunkCount(suite);
}

TEST_CASE("chunks of a dropped version and of a purged file leave the provider, kept ones stay",
          "[integration][cli][collection]") {
  launch::SuiteOptions options = testing::CheapAccounts();
  options.extra_args["metadata"] = {"--versions_kept=1"};
  options.extra_args["blobs"] = {"--unreferenced_blob_grace=0s"};
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, options);
  Device laptop(suite, "laptop");
  REQUIRE(laptop.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);

  // Two small files, one chunk each.
  const std::string notes = RandomContent(1000);
  const std::string draft = RandomContent(2000);
  WriteAll(work / "notes.txt", notes);
  WriteAll(work / "draft.txt", draft);
  MustRun(laptop, {"put", (work / "notes.txt").string(), "/"});
  MustRun(laptop, {"put", (work / "draft.txt").string(), "/"});
  REQUIRE(ChunkCount(suite) == 2);
  // Referenced chunks survive a collection.
  CHECK(CollectUntil(suite, 2) == 2);

  // A new version of the draft: with one kept, the first one's chunk goes.
  const std::string redraft = RandomContent(3000);
  WriteAll(work / "draft.txt", redraft);
  MustRun(laptop, {"put", (work / "draft.txt").string(), "/"});
  REQUIRE(ChunkCount(suite) == 3);
  CHECK(CollectUntil(suite, 2) == 2);

  // In the trash the notes still count; purged, their chunk goes too.
  MustRun(laptop, {"rm", "/notes.txt"});
  CHECK(CollectUntil(suite, 2) == 2);
  MustRun(laptop, {"purge", "/notes.txt"});
  CHECK(CollectUntil(suite, 1) == 1);

  // What is kept reads back whole.
  MustRun(laptop, {"get", "/draft.txt", (work / "back.txt").string()});
  CHECK(ReadAll(work / "back.txt") == redraft);
}

TEST_CASE("a garbage collection run reads back by name until a restart",
          "[integration][collection]") {
  testing::TestSuite suite({"blobs"}, {.redis = false});
  auto admin = blobs::v1::BlobsAdminService::NewStub(kit::NewChannel(suite->grpc_address("blobs")));
  blobs::v1::StartGarbageCollectionRequest start;
  start.set_dry_run(true);
  blobs::v1::GarbageCollectionRun run;
  {
    auto context = kit::NewCallContext(absl::Seconds(30));
    REQUIRE(admin->StartGarbageCollection(context.get(), start, &run).ok());
  }
  REQUIRE(run.state() == blobs::v1::RUN_STATE_SUCCEEDED);

  blobs::v1::GetGarbageCollectionRunRequest get;
  get.set_name(run.name());
  blobs::v1::GarbageCollectionRun read;
  {
    auto context = kit::NewCallContext(absl::Seconds(5));
    REQUIRE(admin->GetGarbageCollectionRun(context.get(), get, &read).ok());
  }
  CHECK(read.name() == run.name());
  CHECK(read.dry_run());
  CHECK(read.state() == blobs::v1::RUN_STATE_SUCCEEDED);
  CHECK(read.end_time().seconds() == run.end_time().seconds());

  get.set_name("garbageCollectionRuns/never");
  auto context = kit::NewCallContext(absl::Seconds(5));
  const grpc::Status missing = admin->GetGarbageCollectionRun(context.get(), get, &read);
  CHECK(missing.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(missing.error_message().find("until the service restarts") != std::string::npos);
}

}  // namespace
}  // namespace bitcontent
