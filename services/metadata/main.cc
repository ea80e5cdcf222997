// bitcontent-metadata: wiring only. Opens the RocksDB under --data_dir, keeps the token
// signing keys of accounts (--accounts_target) current, reserves quota there, checks
// blobs with the blob service (--blobs_target) and tells it which versions use them,
// sweeps versions past their retention, asks pricing (--pricing_target) before a file on
// sale leaves through a public link, and serves the tree.
#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "libs/kit/access_token_verifier.h"
#include "libs/kit/channel.h"
#include "libs/kit/flags.h"
#include "libs/kit/log.h"
#include "libs/kit/serve.h"
#include "services/metadata/metadata_service.h"
#include "services/metadata/retention_sweeper.h"
#include "services/metadata/sale_gate.h"

ABSL_FLAG(uint32_t, versions_kept, bitcontent::metadata::RetentionDefaults{}.max_versions,
          "Versions kept per file, the current one included (1 to 100), for members who set "
          "no retention policy; older ones are dropped when a new one arrives, and their "
          "bytes given back to the quota.");
ABSL_FLAG(uint32_t, version_max_age_days, 0,
          "Earlier versions older than this many days are dropped, for members who set no "
          "retention policy; 0 keeps them whatever their age.");
ABSL_FLAG(absl::Duration, retention_sweep_interval, absl::Hours(1),
          "How often every member's files are checked for versions past their age limit; "
          "0 never.");

int main(int argc, char** argv) {
  using namespace bitcontent;
  kit::InitService(argc, argv, "metadata");
  if (const uint32_t kept = absl::GetFlag(FLAGS_versions_kept);
      kept < 1 || kept > metadata::Tree::kVersionsKeptMax) {
    kit::Log(spdlog::level::err, "--versions_kept must be 1 to 100");
    return 1;
  }
  if (absl::GetFlag(FLAGS_version_max_age_days) > metadata::Tree::kVersionAgeDaysMax) {
    kit::Log(spdlog::level::err, "--version_max_age_days must be at most 36500");
    return 1;
  }
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      metadata::MetadataDb::OpenStore(absl::GetFlag(FLAGS_data_dir));
  if (!store.ok()) {
    kit::Log(spdlog::level::err, "cannot open the metadata store",
             {{"error", store.status().message()}});
    return 1;
  }
  const std::string accounts_target = absl::GetFlag(FLAGS_accounts_target);
  const kit::AccountsTokenVerifier tokens(
      accounts_target.empty() ? nullptr : kit::NewChannel(accounts_target));
  const kit::AccessTokenVerifier& verifier = tokens.verifier();

  const metadata::MetadataDb db(store->get());
  absl::StatusOr<std::unique_ptr<keystore::SigningKeys>> grant_keys =
      keystore::SigningKeys::LoadOrCreate(**store, db.signing_keys,
                                          {.purpose = common::v1::KEY_PURPOSE_CAPABILITY_GRANT,
                                           .issuer = "metadata",
                                           .key_id_prefix = "md"},
                                          absl::Now());
  if (!grant_keys.ok()) {
    kit::Log(spdlog::level::err, "cannot load the grant signing keys",
             {{"error", grant_keys.status().message()}});
    return 1;
  }
  metadata::Tree tree(db, {.max_versions = absl::GetFlag(FLAGS_versions_kept),
                           .max_age_days = absl::GetFlag(FLAGS_version_max_age_days)});
  const metadata::MemberStates members(accounts_target.empty() ? nullptr
                                                               : kit::NewChannel(accounts_target));
  tree.CheckOwnersWith(&members);
  const metadata::ChangeLog changes(db);
  metadata::QuotaReserver quota(accounts_target.empty() ? nullptr
                                                        : kit::NewChannel(accounts_target));
  const std::string blobs_target = absl::GetFlag(FLAGS_blobs_target);
  const metadata::BlobDirectory blobs(blobs_target.empty() ? nullptr
                                                           : kit::NewChannel(blobs_target));
  tree.blob_references().StartSending(&blobs);
  metadata::Uploads uploads(db, &tree, &quota, &blobs, &(*grant_keys)->current());
  metadata::RetentionSweeper sweeper(&tree, &uploads,
                                     absl::GetFlag(FLAGS_retention_sweep_interval));
  sweeper.Start();
  const std::string pricing_target = absl::GetFlag(FLAGS_pricing_target);
  const metadata::PricingSaleGate sale_gate(
      pricing_target.empty() ? nullptr : kit::NewChannel(pricing_target));
  metadata::Links links(db, &tree, &(*grant_keys)->current(), &sale_gate, &members);
  const metadata::MemberEmails emails(accounts_target.empty() ? nullptr
                                                              : kit::NewChannel(accounts_target));
  metadata::Shares shares(db, &tree, &emails);
  metadata::MetadataService metadata_service(&tree, &changes, &uploads, &links, &shares, &verifier);
  metadata::MetadataInternalService metadata_internal_service(&tree, grant_keys->get());
  return kit::Serve(
      {.name = "metadata", .services = {&metadata_service, &metadata_internal_service}});
}
