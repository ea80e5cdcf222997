#include "services/blobs/scrubber.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/ids/ids.h"
#include "libs/kit/log.h"

namespace bitcontent::blobs {
namespace {

// Every chunk hash the index refers to, once.
absl::StatusOr<std::set<std::string>> IndexedHashes(const BlobsDb& db) {
  std::set<std::string> hashes;
  for (const store::ColumnFamily& family : {db.blob_chunks, db.session_chunks}) {
    store::PrefixIterator it = db.store().Scan(family, {});
    for (; it.Valid(); it.Next()) hashes.emplace(it.value());
    if (!it.status().ok()) return it.status();
  }
  return hashes;
}

}  // namespace

v1::ScrubRun Scrubber::Run(const v1::StartScrubRequest& request, absl::Time now) {
  v1::ScrubRun run;
  run.set_name(absl::StrCat("scrubRuns/", ids::NewId()));
  *run.mutable_start_time() = auth::ProtoFromTime(now);
  const auto finish = [&](v1::RunState state, absl::string_view error) {
    run.set_state(state);
    run.set_error(std::string(error));
    *run.mutable_end_time() = auth::ProtoFromTime(absl::Now());
    return run;
  };
  absl::StatusOr<std::set<std::string>> hashes = IndexedHashes(db_);
  if (!hashes.ok()) return finish(v1::RUN_STATE_FAILED, hashes.status().message());
  const absl::Duration pause = request.max_chunks_per_second() == 0
                                   ? absl::ZeroDuration()
                                   : absl::Seconds(1) / request.max_chunks_per_second();

  for (const std::string& hash : *hashes) {
    const std::string key = crypto::HexEncode(hash);
    std::string good;
    std::vector<const NamedProvider*> needing;  // Copies to re-create.
    for (const NamedProvider& named : placement_->providers()) {
      const bool checked = request.provider().empty() ||
                           request.provider() == absl::StrCat("providers/", named.name);
      absl::StatusOr<std::string> bytes = named.provider->Get(key);
      if (bytes.ok() && IsCopyOf(key, *bytes)) {
        if (good.empty()) good = *std::move(bytes);
        continue;
      }
      if (!checked) continue;
      if (bytes.ok()) {
        run.set_corrupt_copy_count(run.corrupt_copy_count() + 1);
      } else if (absl::IsNotFound(bytes.status())) {
        run.set_missing_copy_count(run.missing_copy_count() + 1);
      } else {
        continue;  // The provider is down: nothing to learn about the copy now.
      }
      needing.push_back(&named);
    }
    run.set_checked_chunk_count(run.checked_chunk_count() + 1);
    if (good.empty()) {
      run.set_lost_chunk_count(run.lost_chunk_count() + 1);
      kit::Log(spdlog::level::err, "chunk lost: no good copy on any provider", {{"chunk", key}});
      continue;
    }
    if (!request.repair()) continue;
    for (const NamedProvider* named : needing) {
      // A damaged copy goes first: providers refuse to replace an object.
      absl::Status repaired = named->provider->Delete(key);
      if (repaired.ok()) repaired = named->provider->Put(key, good, nullptr);
      if (repaired.ok()) {
        run.set_repaired_copy_count(run.repaired_copy_count() + 1);
      } else {
        kit::Log(spdlog::level::warn, "copy not repaired",
                 {{"chunk", key}, {"provider", named->name}, {"error", repaired.message()}});
      }
    }
    if (pause > absl::ZeroDuration()) absl::SleepFor(pause);
  }
  return finish(v1::RUN_STATE_SUCCEEDED, "");
}

}  // namespace bitcontent::blobs
