#include "services/blobs/scrubber.h"

#include <set>
#include <string>
#include <utility>
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

// Counts a chunk of `size_bytes` for each provider that `holds` a good copy of it and
// that the index still needs: a DRAINING provider's copy is needed only while some
// READ_WRITE provider lacks one (or none is READ_WRITE).
void Tally(const std::vector<v1::ProviderMode>& modes, const std::vector<bool>& holds,
           uint64_t size_bytes, std::vector<ProviderTally>* tallies) {
  bool elsewhere = false;
  for (size_t i = 0; i < modes.size(); ++i) {
    if (modes[i] != v1::PROVIDER_MODE_READ_WRITE) continue;
    if (!holds[i]) {
      elsewhere = false;
      break;
    }
    elsewhere = true;
  }
  for (size_t i = 0; i < modes.size(); ++i) {
    if (!holds[i] || (modes[i] == v1::PROVIDER_MODE_DRAINING && elsewhere)) continue;
    (*tallies)[i].chunk_count += 1;
    (*tallies)[i].stored_bytes += size_bytes;
  }
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
  // One view of the modes for the whole pass, so that its counts agree with each other.
  const std::vector<v1::ProviderMode> modes = placement_->modes();
  std::vector<ProviderTally> tallies(modes.size());
  for (const std::string& hash : *hashes) {
    ScrubChunk(crypto::HexEncode(hash), request, modes, &run, &tallies);
    if (pause > absl::ZeroDuration()) absl::SleepFor(pause);
  }
  if (absl::Status s = states_->RecordTallies(tallies); !s.ok()) {
    kit::Log(spdlog::level::warn, "provider counts not stored", {{"error", s.message()}});
  }
  return finish(v1::RUN_STATE_SUCCEEDED, "");
}

void Scrubber::ScrubChunk(const std::string& key, const v1::StartScrubRequest& request,
                          const std::vector<v1::ProviderMode>& modes, v1::ScrubRun* run,
                          std::vector<ProviderTally>* tallies) {
  const std::vector<NamedProvider>& providers = placement_->providers();
  ObjectBytes good;
  bool found = false;
  std::vector<bool> holds(providers.size(), false);
  std::vector<size_t> needing;  // Copies to re-create.
  for (size_t i = 0; i < providers.size(); ++i) {
    const NamedProvider& named = providers[i];
    absl::StatusOr<ObjectBytes> bytes = named.provider->Get(key);
    if (bytes.ok() && IsCopyOf(key, bytes->view())) {
      holds[i] = true;
      if (!found) good = *std::move(bytes);
      found = true;
      continue;
    }
    const bool down = !bytes.ok() && !absl::IsNotFound(bytes.status());
    // Nothing is learnt about a provider that is down, so its earlier counts stand.
    if (down) (*tallies)[i].counted = false;
    // Only READ_WRITE providers are to hold every chunk; the others are sources only.
    const bool checked =
        request.provider().empty() || request.provider() == absl::StrCat("providers/", named.name);
    if (down || modes[i] != v1::PROVIDER_MODE_READ_WRITE || !checked) continue;
    if (bytes.ok()) {
      run->set_corrupt_copy_count(run->corrupt_copy_count() + 1);
    } else {
      run->set_missing_copy_count(run->missing_copy_count() + 1);
    }
    needing.push_back(i);
  }
  run->set_checked_chunk_count(run->checked_chunk_count() + 1);
  if (!found) {
    run->set_lost_chunk_count(run->lost_chunk_count() + 1);
    kit::Log(spdlog::level::err, "chunk lost: no good copy on any provider", {{"chunk", key}});
    return;
  }
  if (request.repair()) {
    for (size_t i : needing) {
      const NamedProvider& named = providers[i];
      // A damaged copy goes first: providers refuse to replace an object.
      absl::Status repaired = named.provider->Delete(key);
      if (repaired.ok()) repaired = named.provider->Put(key, good.view(), nullptr);
      if (repaired.ok()) {
        holds[i] = true;
        run->set_repaired_copy_count(run->repaired_copy_count() + 1);
      } else {
        kit::Log(spdlog::level::warn, "copy not repaired",
                 {{"chunk", key}, {"provider", named.name}, {"error", repaired.message()}});
      }
    }
  }
  Tally(modes, holds, good.size(), tallies);
}

}  // namespace bitcontent::blobs
