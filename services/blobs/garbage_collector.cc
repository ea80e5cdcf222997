#include "services/blobs/garbage_collector.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/ids/ids.h"
#include "libs/kit/log.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/blobs/blob_reader.h"

namespace bitcontent::blobs {
namespace {

bool Abandoned(const v1::UploadSession& session, absl::Time now) {
  return session.state() == v1::UPLOAD_SESSION_STATE_ABORTED ||
         session.state() == v1::UPLOAD_SESSION_STATE_EXPIRED ||
         (session.state() == v1::UPLOAD_SESSION_STATE_OPEN &&
          auth::TimeFromProto(session.expire_time()) <= now);
}

void CountDeleted(uint64_t size_bytes, v1::GarbageCollectionRun* run) {
  run->set_deleted_chunk_count(run->deleted_chunk_count() + 1);
  run->set_freed_bytes(run->freed_bytes() + size_bytes);
}

}  // namespace

v1::GarbageCollectionRun GarbageCollector::Run(bool dry_run, absl::Time now) {
  absl::MutexLock one_at_a_time(&run_mutex_);
  v1::GarbageCollectionRun run;
  run.set_name(absl::StrCat("garbageCollectionRuns/", ids::NewId()));
  run.set_dry_run(dry_run);
  *run.mutable_start_time() = auth::ProtoFromTime(now);
  const auto finish = [&](const absl::Status& status) {
    run.set_state(status.ok() ? v1::RUN_STATE_SUCCEEDED : v1::RUN_STATE_FAILED);
    run.set_error(std::string(status.message()));
    *run.mutable_end_time() = auth::ProtoFromTime(absl::Now());
    recent_runs_.Add(run);
    return run;
  };

  // Blobs first, so that the snapshot of what is alive no longer has them.
  std::set<std::string> collected;
  ChunkSizes doomed;
  if (absl::Status s = CollectBlobs(dry_run, now, &collected, &doomed); !s.ok()) return finish(s);
  run.set_collected_blob_count(collected.size());

  std::set<std::string> live;
  std::vector<v1::UploadSession> abandoned;
  {
    const store::Snapshot snapshot = db_.store().TakeSnapshot();
    if (absl::Status s = FindLive(snapshot, collected, now, &live, &abandoned); !s.ok()) {
      return finish(s);
    }
  }
  if (absl::Status s = CollectSessions(abandoned, dry_run, &live, &run); !s.ok()) return finish(s);
  return finish(DeleteChunks(doomed, dry_run, &live, &run));
}

absl::Status GarbageCollector::CollectBlobs(bool dry_run, absl::Time now,
                                            std::set<std::string>* collected, ChunkSizes* doomed) {
  std::vector<std::string> due;
  store::PrefixIterator it = db_.store().Scan(db_.unreferenced, {});
  for (; it.Valid() && due.size() < kBlobsPerRunMax; it.Next()) {
    const std::optional<absl::Time> since = BlobsDb::DecodeSince(it.value());
    if (since.has_value() && *since + grace_ <= now) due.emplace_back(it.key());
  }
  if (!it.status().ok()) return it.status();
  for (const std::string& blob_id : due) {
    absl::StatusOr<bool> done = CollectBlob(blob_id, dry_run, now, doomed);
    if (!done.ok()) return done.status();
    if (*done) collected->insert(blob_id);
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> GarbageCollector::CollectBlob(absl::string_view blob_id, bool dry_run,
                                                   absl::Time now, ChunkSizes* doomed) {
  absl::MutexLock lock(&references_->LockOf(blob_id));
  // Again under the lock: a reference may have been added since the scan.
  absl::StatusOr<std::string> since = db_.store().Get(db_.unreferenced, store::KeyView(blob_id));
  if (absl::IsNotFound(since.status())) return false;
  if (!since.ok()) return since.status();
  const std::optional<absl::Time> time = BlobsDb::DecodeSince(*since);
  if (!time.has_value() || *time + grace_ > now) return false;
  absl::StatusOr<std::optional<v1::Blob>> blob =
      store::FindRecord<v1::Blob>(db_.store(), db_.blobs, blob_id);
  if (!blob.ok()) return blob.status();
  store::PrefixIterator references =
      db_.store().Scan(db_.blob_references, {.prefix = store::KeyView(blob_id), .limit = 1});
  const bool referenced = references.Valid();
  if (!references.status().ok()) return references.status();
  if (!blob->has_value() || (*blob)->reference_count() != 0 || referenced) {
    // Add removes the entry in the batch that counts the reference, so this is damage:
    // keep whatever is there and say so.
    kit::Log(spdlog::level::err, "an unreferenced blob has references or no record; kept",
             {{"blob", blob_id}});
    return false;
  }

  // The blob, its manifest, the chunk list of the session that made it (which the
  // scrubber would otherwise keep checking) and its entry here go together; its chunks
  // become deletions in the same batch.
  store::WriteBatch batch;
  batch.Delete(db_.blobs, store::KeyView(blob_id));
  batch.Delete(db_.unreferenced, store::KeyView(blob_id));
  store::PrefixIterator chunks =
      db_.store().Scan(db_.blob_chunks, {.prefix = store::KeyView(blob_id)});
  for (; chunks.Valid(); chunks.Next()) {
    const std::optional<uint32_t> index = store::DecodeUint32(chunks.key().substr(ids::kIdLength));
    const uint64_t size = ChunkSizeOf(**blob, index.value_or(0));
    batch.Delete(db_.blob_chunks, chunks.key());
    batch.Put(db_.chunk_deletions, chunks.value(), store::EncodeUint64(size));
    if (dry_run) doomed->emplace(chunks.value(), size);
  }
  if (!chunks.status().ok()) return chunks.status();
  // Checked, so that a damaged record can never make the prefix empty: every session's.
  const absl::string_view session_id = kit::IdOfName((*blob)->upload_session());
  if (ids::IsValidId(session_id)) {
    store::PrefixIterator received =
        db_.store().Scan(db_.session_chunks, {.prefix = store::KeyView(session_id)});
    for (; received.Valid(); received.Next()) batch.Delete(db_.session_chunks, received.key());
    if (!received.status().ok()) return received.status();
  }
  if (dry_run) return true;
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return true;
}

absl::Status GarbageCollector::FindLive(const store::Snapshot& snapshot,
                                        const std::set<std::string>& collected, absl::Time now,
                                        std::set<std::string>* live,
                                        std::vector<v1::UploadSession>* abandoned) const {
  store::PrefixIterator chunks = db_.store().Scan(db_.blob_chunks, {.snapshot = &snapshot});
  for (; chunks.Valid(); chunks.Next()) {
    // In a dry run the blobs it would collect are still there.
    if (collected.contains(std::string(chunks.key().substr(0, ids::kIdLength)))) continue;
    live->emplace(chunks.value());
  }
  if (!chunks.status().ok()) return chunks.status();
  store::PrefixIterator sessions = db_.store().Scan(db_.sessions, {.snapshot = &snapshot});
  for (; sessions.Valid(); sessions.Next()) {
    absl::StatusOr<v1::UploadSession> session =
        store::ParseRecord<v1::UploadSession>(db_.sessions, sessions.value());
    if (!session.ok()) return session.status();
    if (Abandoned(*session, now)) {
      abandoned->push_back(*std::move(session));
      continue;
    }
    if (session->state() != v1::UPLOAD_SESSION_STATE_OPEN) continue;
    store::PrefixIterator received =
        db_.store().Scan(db_.session_chunks, {.prefix = sessions.key(), .snapshot = &snapshot});
    for (; received.Valid(); received.Next()) live->emplace(received.value());
    if (!received.status().ok()) return received.status();
  }
  return sessions.status();
}

absl::Status GarbageCollector::CollectSessions(const std::vector<v1::UploadSession>& abandoned,
                                               bool dry_run, std::set<std::string>* live,
                                               v1::GarbageCollectionRun* run) {
  for (const v1::UploadSession& session : abandoned) {
    const absl::string_view id = kit::IdOfName(session.name());
    store::WriteBatch batch;
    bool had_chunks = false;
    store::PrefixIterator chunks =
        db_.store().Scan(db_.session_chunks, {.prefix = store::KeyView(id)});
    for (; chunks.Valid(); chunks.Next()) {
      had_chunks = true;
      const std::string hash(chunks.value());
      batch.Delete(db_.session_chunks, chunks.key());
      if (live->contains(hash)) continue;
      const std::optional<uint32_t> index = store::DecodeUint32(chunks.key().substr(id.size()));
      const uint64_t size = index.has_value() && *index + 1 == session.chunk_count()
                                ? session.last_chunk_size_bytes()
                                : session.chunk_size_bytes();
      if (!dry_run) {
        if (absl::Status s = placement_->Delete(crypto::HexEncode(hash)); !s.ok()) return s;
      }
      live->insert(hash);  // Counted once, even if another abandoned session had it too.
      CountDeleted(size, run);
    }
    if (!chunks.status().ok()) return chunks.status();
    if (!had_chunks) continue;
    run->set_collected_session_count(run->collected_session_count() + 1);
    if (dry_run) continue;
    if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status GarbageCollector::DeleteChunks(const ChunkSizes& doomed, bool dry_run,
                                            std::set<std::string>* live,
                                            v1::GarbageCollectionRun* run) {
  // `live` also takes each chunk once it is counted, so none is counted twice.
  if (dry_run) {
    for (const auto& [hash, size] : doomed) {
      if (live->insert(hash).second) CountDeleted(size, run);
    }
  }
  // Then the deletions recorded: this run's blobs and what earlier runs left undone.
  std::string after;
  for (;;) {
    store::WriteBatch batch;
    size_t read = 0;
    absl::Status failure = absl::OkStatus();
    store::PrefixIterator it = db_.store().Scan(
        db_.chunk_deletions,
        {.start_after = after.empty() ? std::nullopt : std::optional<std::string_view>(after),
         .limit = kDeletionsPerBatch});
    for (; it.Valid(); it.Next(), ++read) {
      const std::string hash(it.key());
      if (live->insert(hash).second) {
        if (!dry_run) failure = placement_->Delete(crypto::HexEncode(hash));
        if (!failure.ok()) break;
        CountDeleted(store::DecodeUint64(it.value()).value_or(0), run);
      }
      // A chunk still in use keeps its bytes and loses its entry: whatever uses it now
      // records it again when it goes.
      batch.Delete(db_.chunk_deletions, it.key());
      after = hash;
    }
    if (failure.ok()) failure = it.status();
    // What was deleted stays deleted, even when a provider failed on a later chunk.
    if (!dry_run && batch.count() > 0) {
      if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
    }
    if (!failure.ok()) return failure;
    if (read < kDeletionsPerBatch) return absl::OkStatus();
  }
}

}  // namespace bitcontent::blobs
