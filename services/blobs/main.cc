// bitcontent-blobs: wiring only. The chunk index in RocksDB under --data_dir/index, the
// chunks on the filesystem provider under --data_dir/chunks, grants verified with the
// keys metadata (--metadata_target) publishes.
#include <filesystem>

#include "absl/flags/flag.h"
#include "libs/kit/channel.h"
#include "libs/kit/flags.h"
#include "libs/kit/key_refresher.h"
#include "libs/kit/log.h"
#include "libs/kit/serve.h"
#include "services/blobs/blobs_service.h"
#include "services/blobs/filesystem_provider.h"

int main(int argc, char** argv) {
  using namespace bitcontent;
  kit::InitService(argc, argv, "blobs");
  const auto fail = [](absl::string_view what, const absl::Status& status) {
    kit::Log(spdlog::level::err, what, {{"error", status.message()}});
    return 1;
  };
  const std::filesystem::path data_dir = absl::GetFlag(FLAGS_data_dir);
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      blobs::BlobsDb::OpenStore((data_dir / "index").string());
  if (!store.ok()) return fail("cannot open the blobs index", store.status());
  absl::StatusOr<std::unique_ptr<blobs::FilesystemProvider>> provider =
      blobs::FilesystemProvider::Open(data_dir / "chunks");
  if (!provider.ok()) return fail("cannot open the filesystem provider", provider.status());

  const std::string metadata_target = absl::GetFlag(FLAGS_metadata_target);
  auth::KeyRing grant_keys;
  kit::KeyRefresher refresher(
      &grant_keys,
      kit::GrantKeys(metadata_target.empty() ? nullptr : kit::NewChannel(metadata_target)),
      absl::Minutes(1));
  refresher.Start();

  const blobs::BlobsDb db(store->get());
  blobs::UploadSessions sessions(db, provider->get());
  const blobs::BlobReader reader(db, provider->get());
  blobs::BlobsService blobs_service(&sessions, &reader, &grant_keys, &refresher);
  blobs::BlobsInternalService blobs_internal_service(&sessions, &reader);
  blobs::BlobsAdminService blobs_admin_service;
  return kit::Serve({.name = "blobs",
                     .services = {&blobs_service, &blobs_internal_service, &blobs_admin_service}});
}
