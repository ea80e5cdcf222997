#include "tests/integration/blobs_admin.h"

#include <catch2/catch.hpp>

#include "libs/kit/channel.h"

namespace bitcontent::testing {

blobs::v1::ListProvidersResponse ListProviders(blobs::v1::BlobsAdminService::Stub& admin) {
  blobs::v1::ListProvidersResponse listed;
  auto context = kit::NewCallContext(absl::Seconds(30));
  REQUIRE(admin.ListProviders(context.get(), {}, &listed).ok());
  return listed;
}

blobs::v1::ScrubRun Scrub(blobs::v1::BlobsAdminService::Stub& admin, bool repair) {
  blobs::v1::StartScrubRequest request;
  request.set_repair(repair);
  blobs::v1::ScrubRun run;
  auto context = kit::NewCallContext(absl::Seconds(60));
  const grpc::Status scrubbed = admin.StartScrub(context.get(), request, &run);
  INFO(scrubbed.error_message());
  REQUIRE(scrubbed.ok());
  CHECK(run.state() == blobs::v1::RUN_STATE_SUCCEEDED);
  return run;
}

std::vector<std::filesystem::path> ChunkFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file() && it->path().filename().string().size() == 64) {
      files.push_back(it->path());
    }
  }
  return files;
}

std::vector<std::filesystem::path> ChunkFiles(const TestSuite& suite) {
  return ChunkFiles(suite.var_dir() / "data" / "blobs" / "chunks");
}

}  // namespace bitcontent::testing
