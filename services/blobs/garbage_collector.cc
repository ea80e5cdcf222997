#include "services/blobs/garbage_collector.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/ids/ids.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"

namespace bitcontent::blobs {
namespace {

bool Abandoned(const v1::UploadSession& session, absl::Time now) {
  return session.state() == v1::UPLOAD_SESSION_STATE_ABORTED ||
         session.state() == v1::UPLOAD_SESSION_STATE_EXPIRED ||
         (session.state() == v1::UPLOAD_SESSION_STATE_OPEN &&
          auth::TimeFromProto(session.expire_time()) <= now);
}

}  // namespace

v1::GarbageCollectionRun GarbageCollector::Run(bool dry_run, absl::Time now) {
  v1::GarbageCollectionRun run;
  run.set_name(absl::StrCat("garbageCollectionRuns/", ids::NewId()));
  run.set_dry_run(dry_run);
  *run.mutable_start_time() = auth::ProtoFromTime(now);
  const auto finish = [&](v1::RunState state, absl::string_view error) {
    run.set_state(state);
    run.set_error(std::string(error));
    *run.mutable_end_time() = auth::ProtoFromTime(absl::Now());
    return run;
  };

  // What is alive: every committed blob's chunks and every open session's.
  std::set<std::string> live;
  std::vector<v1::UploadSession> abandoned;
  {
    store::PrefixIterator it = db_.store().Scan(db_.blob_chunks, {});
    for (; it.Valid(); it.Next()) live.emplace(it.value());
    if (!it.status().ok()) return finish(v1::RUN_STATE_FAILED, it.status().message());
  }
  store::PrefixIterator sessions = db_.store().Scan(db_.sessions, {});
  for (; sessions.Valid(); sessions.Next()) {
    v1::UploadSession session;
    if (!session.ParseFromArray(sessions.value().data(),
                                static_cast<int>(sessions.value().size()))) {
      return finish(v1::RUN_STATE_FAILED, "an upload session record is damaged");
    }
    if (Abandoned(session, now)) {
      abandoned.push_back(std::move(session));
      continue;
    }
    if (session.state() != v1::UPLOAD_SESSION_STATE_OPEN) continue;
    const std::string id(sessions.key());
    store::PrefixIterator chunks = db_.store().Scan(db_.session_chunks, {.prefix = id});
    for (; chunks.Valid(); chunks.Next()) live.emplace(chunks.value());
    if (!chunks.status().ok()) return finish(v1::RUN_STATE_FAILED, chunks.status().message());
  }
  if (!sessions.status().ok()) return finish(v1::RUN_STATE_FAILED, sessions.status().message());

  for (const v1::UploadSession& session : abandoned) {
    const std::string id = session.name().substr(session.name().rfind('/') + 1);
    store::WriteBatch batch;
    bool had_chunks = false;
    store::PrefixIterator chunks = db_.store().Scan(db_.session_chunks, {.prefix = id});
    for (; chunks.Valid(); chunks.Next()) {
      had_chunks = true;
      const std::string hash(chunks.value());
      batch.Delete(db_.session_chunks, chunks.key());
      if (live.contains(hash)) continue;
      const std::optional<uint32_t> index = store::DecodeUint32(chunks.key().substr(id.size()));
      const uint64_t size = index.has_value() && *index + 1 == session.chunk_count()
                                ? session.last_chunk_size_bytes()
                                : session.chunk_size_bytes();
      if (!dry_run) {
        if (absl::Status s = placement_->Delete(crypto::HexEncode(hash)); !s.ok()) {
          return finish(v1::RUN_STATE_FAILED, s.message());
        }
      }
      live.insert(hash);  // Counted once, even if another abandoned session had it too.
      run.set_deleted_chunk_count(run.deleted_chunk_count() + 1);
      run.set_freed_bytes(run.freed_bytes() + size);
    }
    if (!chunks.status().ok()) return finish(v1::RUN_STATE_FAILED, chunks.status().message());
    if (!had_chunks) continue;
    run.set_collected_session_count(run.collected_session_count() + 1);
    if (dry_run) continue;
    if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) {
      return finish(v1::RUN_STATE_FAILED, s.message());
    }
  }
  return finish(v1::RUN_STATE_SUCCEEDED, "");
}

}  // namespace bitcontent::blobs
