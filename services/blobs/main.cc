// bitcontent-blobs: wiring only. The chunk index in RocksDB under --data_dir/index, the
// chunks on the providers of --providers (provider_config.h; by default the filesystem
// under --data_dir/chunks), grants verified with the keys metadata (--metadata_target)
// publishes. Garbage collection runs every --garbage_collection_interval and keeps a blob
// no version refers to for --unreferenced_blob_grace.
#include <filesystem>

#include "absl/flags/flag.h"
#include "libs/kit/channel.h"
#include "libs/kit/flags.h"
#include "libs/kit/key_refresher.h"
#include "libs/kit/log.h"
#include "libs/kit/serve.h"
#include "services/blobs/blobs_service.h"
#include "services/blobs/garbage_collection_loop.h"
#include "services/blobs/provider_config.h"

ABSL_FLAG(std::string, providers, "",
          "Where chunks are stored: NAME=fs:DIRECTORY and NAME=s3:URL/BUCKET, comma-separated, "
          "each holding a copy; empty means local=fs:<data_dir>/chunks.");
ABSL_FLAG(std::string, s3_access_key_id, "", "Access key id of the S3 providers.");
ABSL_FLAG(std::string, s3_secret_access_key, "", "Secret access key of the S3 providers.");
ABSL_FLAG(std::string, s3_region, "us-east-1", "Region the S3 providers sign for.");
ABSL_FLAG(absl::Duration, unreferenced_blob_grace, absl::Hours(24),
          "How long a blob no file version refers to (newly committed, or its last reference "
          "removed) is kept before garbage collection deletes it; it covers a reference "
          "removed and added back (a copy, a restore) and downloads of a version just dropped.");
ABSL_FLAG(absl::Duration, garbage_collection_interval, absl::Hours(1),
          "How often unreferenced blobs and abandoned uploads are collected in the background; "
          "0 never (StartGarbageCollection still runs one).");

int main(int argc, char** argv) {
  using namespace bitcontent;
  kit::InitService(argc, argv, "blobs");
  const absl::Duration grace = absl::GetFlag(FLAGS_unreferenced_blob_grace);
  if (grace < absl::ZeroDuration()) {
    kit::Log(spdlog::level::err, "--unreferenced_blob_grace must not be negative");
    return 1;
  }
  const auto fail = [](absl::string_view what, const absl::Status& status) {
    kit::Log(spdlog::level::err, what, {{"error", status.message()}});
    return 1;
  };
  const std::filesystem::path data_dir = absl::GetFlag(FLAGS_data_dir);
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      blobs::BlobsDb::OpenStore((data_dir / "index").string());
  if (!store.ok()) return fail("cannot open the blobs index", store.status());
  absl::StatusOr<std::vector<blobs::NamedProvider>> providers =
      blobs::OpenProviders(absl::GetFlag(FLAGS_providers), data_dir,
                           {.access_key_id = absl::GetFlag(FLAGS_s3_access_key_id),
                            .secret_access_key = absl::GetFlag(FLAGS_s3_secret_access_key),
                            .region = absl::GetFlag(FLAGS_s3_region)});
  if (!providers.ok()) return fail("cannot open the providers", providers.status());
  blobs::Placement placement(*std::move(providers));
  const blobs::BlobsDb db(store->get());
  // The modes operators set before the restart, in force before the first call.
  blobs::ProviderStates provider_states(db, &placement);
  if (absl::Status s = provider_states.Load(); !s.ok()) {
    return fail("cannot read the provider modes", s);
  }

  const std::string metadata_target = absl::GetFlag(FLAGS_metadata_target);
  auth::KeyRing grant_keys;
  kit::KeyRefresher refresher(
      &grant_keys,
      kit::GrantKeys(metadata_target.empty() ? nullptr : kit::NewChannel(metadata_target)),
      absl::Minutes(1));
  refresher.Start();

  blobs::UploadSessions sessions(db, &placement);
  const blobs::BlobReader reader(db, &placement);
  blobs::Scrubber scrubber(db, &placement, &provider_states);
  blobs::BlobReferences references(db);
  blobs::GarbageCollector collector(db, &placement, &references, grace);
  // Declared after the collector: stops (ending its run in progress) before it goes.
  blobs::GarbageCollectionLoop collection_loop(&collector,
                                               absl::GetFlag(FLAGS_garbage_collection_interval));
  collection_loop.Start();
  blobs::BlobsService blobs_service(&sessions, &reader, &grant_keys, &refresher);
  blobs::BlobsInternalService blobs_internal_service(&sessions, &reader, &references);
  blobs::BlobsAdminService blobs_admin_service(&placement, &provider_states, &scrubber, &collector);
  return kit::Serve({.name = "blobs",
                     .services = {&blobs_service, &blobs_internal_service, &blobs_admin_service}});
}
