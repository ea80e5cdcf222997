// Provider modes on the real suite, with two filesystem providers behind the blob
// service: a READ_ONLY provider receives no new chunks, modes outlive a restart of
// blobs, a scrub with repair drains a DRAINING provider onto the other (its chunk_count
// falling to zero in ListProviders), after which its directory can go and every file
// still downloads byte for byte; SetProviderMode refuses unknown providers, malformed
// names and unspecified modes.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bitcontent/blobs/v1/blobs_admin_service.grpc.pb.h"
#include "libs/crypto/random.h"
#include "libs/kit/channel.h"
#include "tests/integration/blobs_admin.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/integration/local_files.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;
using blobs::v1::BlobsAdminService;
using testing::Device;
using testing::MustRun;
using testing::ReadAll;

// The names of the chunk files under a filesystem provider's directory.
std::set<std::string> ChunkNames(const fs::path& dir) {
  std::set<std::string> names;
  for (const fs::path& file : testing::ChunkFiles(dir)) names.insert(file.filename().string());
  return names;
}

// The blobs admin API on blobs' own port, reconnected after each restart.
class Admin {
 public:
  explicit Admin(testing::TestSuite& suite) : suite_(suite) { Connect(); }

  void Connect() {
    stub_ = BlobsAdminService::NewStub(kit::NewChannel(suite_->grpc_address("blobs")));
  }

  grpc::Status SetMode(const std::string& name, blobs::v1::ProviderMode mode,
                       blobs::v1::Provider* provider = nullptr) {
    blobs::v1::SetProviderModeRequest request;
    request.set_name(name);
    request.set_mode(mode);
    blobs::v1::Provider ignored;
    auto context = kit::NewCallContext(absl::Seconds(30));
    return stub_->SetProviderMode(context.get(), request, provider ? provider : &ignored);
  }

  void MustSetMode(const std::string& name, blobs::v1::ProviderMode mode) {
    blobs::v1::Provider provider;
    const grpc::Status set = SetMode(name, mode, &provider);
    INFO(set.error_message());
    REQUIRE(set.ok());
    CHECK(provider.name() == name);
    CHECK(provider.mode() == mode);
  }

  blobs::v1::ListProvidersResponse List() {
    blobs::v1::ListProvidersResponse listed = testing::ListProviders(*stub_);
    REQUIRE(listed.providers_size() == 2);
    return listed;
  }

  blobs::v1::ScrubRun Scrub(bool repair) {
    blobs::v1::ScrubRun run = testing::Scrub(*stub_, repair);
    CHECK(run.lost_chunk_count() == 0);
    return run;
  }

 private:
  testing::TestSuite& suite_;
  std::unique_ptr<BlobsAdminService::Stub> stub_;
};

TEST_CASE("a provider drained by a scrub can be removed and every file still downloads",
          "[integration][cli][providers][modes]") {
  const fs::path dir = testing::NewTestDirectory("provider-modes");
  const fs::path first = dir / "first";
  const fs::path second = dir / "second";
  launch::SuiteOptions options = testing::CheapAccounts();
  options.extra_args["blobs"] = {
      absl::StrCat("--providers=first=fs:", first.string(), ",second=fs:", second.string())};
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, options);
  Device ada(suite, "ada");
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  Admin admin(suite);
  CHECK(admin.List().providers(1).mode() == blobs::v1::PROVIDER_MODE_READ_WRITE);

  // Uploaded while "second" is READ_ONLY: 1 + 2 chunks, on "first" only.
  admin.MustSetMode("providers/second", blobs::v1::PROVIDER_MODE_READ_ONLY);
  const std::vector<std::string> contents = {crypto::RandomBytes(1000),
                                             testing::RandomContent(1048576 + 5000),
                                             crypto::RandomBytes(300000)};
  const auto put = [&](size_t i) {
    testing::WriteAll(work / absl::StrCat("f", i), contents[i]);
    MustRun(ada, {"put", (work / absl::StrCat("f", i)).string(), "/"});
  };
  put(0);
  put(1);
  CHECK(ChunkNames(first).size() == 3);
  CHECK(ChunkNames(second).empty());
  // Back to READ_WRITE, both receive the next file's chunk.
  admin.MustSetMode("providers/second", blobs::v1::PROVIDER_MODE_READ_WRITE);
  put(2);
  CHECK(ChunkNames(first).size() == 4);
  CHECK(ChunkNames(second).size() == 1);

  // The mode outlives a restart of blobs.
  admin.MustSetMode("providers/first", blobs::v1::PROVIDER_MODE_DRAINING);
  REQUIRE(suite->StopService("blobs", absl::Seconds(10)).ok());
  REQUIRE(suite->StartService("blobs").ok());
  admin.Connect();
  CHECK(admin.List().providers(0).mode() == blobs::v1::PROVIDER_MODE_DRAINING);
  CHECK(admin.List().providers(1).mode() == blobs::v1::PROVIDER_MODE_READ_WRITE);

  // A report finds the 3 chunks "second" lacks; the index still needs them on "first".
  blobs::v1::ScrubRun run = admin.Scrub(false);
  CHECK(run.checked_chunk_count() == 4);
  CHECK(run.missing_copy_count() == 3);
  CHECK(admin.List().providers(0).chunk_count() == 3);
  CHECK(admin.List().providers(1).chunk_count() == 1);
  // The drain: each chunk copied to "second", after which "first" holds nothing needed.
  run = admin.Scrub(true);
  CHECK(run.repaired_copy_count() == 3);
  const blobs::v1::ListProvidersResponse drained = admin.List();
  CHECK(drained.providers(0).chunk_count() == 0);
  CHECK(drained.providers(0).stored_bytes() == 0);
  CHECK(drained.providers(1).chunk_count() == 4);
  CHECK(drained.providers(1).stored_bytes() > contents[1].size());
  CHECK(ChunkNames(second) == ChunkNames(first));

  // The drained provider's directory gone, every file downloads as it was, and a new
  // upload goes to "second" alone.
  fs::remove_all(first);
  for (size_t i = 0; i < contents.size(); ++i) {
    const fs::path back = work / absl::StrCat("back", i);
    MustRun(ada, {"get", absl::StrCat("/f", i), back.string()});
    CHECK(ReadAll(back) == contents[i]);
  }
  testing::WriteAll(work / "new", crypto::RandomBytes(2000));
  MustRun(ada, {"put", (work / "new").string(), "/"});
  CHECK(ChunkNames(second).size() == 5);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

TEST_CASE("SetProviderMode refuses unknown providers, malformed names and unspecified modes",
          "[integration][providers][modes]") {
  const fs::path dir = testing::NewTestDirectory("provider-modes-refused");
  launch::SuiteOptions options;
  options.extra_args["blobs"] = {absl::StrCat("--providers=first=fs:", (dir / "first").string(),
                                              ",second=fs:", (dir / "second").string())};
  testing::TestSuite suite({"blobs"}, options);
  Admin admin(suite);
  grpc::Status refused = admin.SetMode("providers/third", blobs::v1::PROVIDER_MODE_DRAINING);
  CHECK(refused.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK_THAT(refused.error_message(), Catch::Contains("providers/first, providers/second"));
  refused = admin.SetMode("first", blobs::v1::PROVIDER_MODE_DRAINING);
  CHECK(refused.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(refused.error_message(), Catch::Contains("providers/{provider}"));
  refused = admin.SetMode("providers/first", blobs::v1::PROVIDER_MODE_UNSPECIFIED);
  CHECK(refused.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  CHECK_THAT(refused.error_message(), Catch::Contains("PROVIDER_MODE_READ_ONLY"));
  CHECK(admin.List().providers(0).mode() == blobs::v1::PROVIDER_MODE_READ_WRITE);
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace bitcontent
