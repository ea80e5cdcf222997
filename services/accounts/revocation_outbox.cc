#include "services/accounts/revocation_outbox.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/log.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/accounts/records.pb.h"

namespace bitcontent::accounts {
namespace {

// Oldest first, so that the ones no token outlives are pruned from the front.
std::string RecordedKey(absl::Time revoke_time, absl::string_view kind, absl::string_view id) {
  return store::JoinKey(store::EncodeTime(revoke_time), kind, ":", id);
}

// The newest entry this thread staged and has not waited for (0: none). A revoking call
// stages and commits on one thread; only such calls wait in Notify, each for its own.
thread_local uint64_t staged_here = 0;

}  // namespace

void RevocationOutbox::Notify() {
  queue_.Notify();
  const uint64_t sequence = std::exchange(staged_here, 0);
  if (sequence == 0 || !publisher_running_) return;
  if (!queue_.AwaitRemoval(sequence, kPublishWaitMax)) {
    kit::Log(spdlog::level::warn, "a revocation is not in Redis yet; the publisher retries",
             {{"waited_ms", absl::StrCat(absl::ToInt64Milliseconds(kPublishWaitMax))}});
  }
}

void RevocationOutbox::Stage(store::WriteBatch* batch, absl::string_view kind, absl::string_view id,
                             absl::Time now) {
  storage::RevocationRecord record;
  record.set_kind(std::string(kind));
  record.set_id(std::string(id));
  *record.mutable_revoke_time() = auth::ProtoFromTime(now);
  staged_here = std::max(staged_here, queue_.Stage(batch, record.SerializeAsString()));
  store::PutRecord(batch, db_.revocations, RecordedKey(now, kind, id), record);
}

absl::Status RevocationOutbox::Prune(absl::Time since, size_t limit) {
  store::WriteBatch stale;
  const std::string end = store::EncodeTime(since);
  store::PrefixIterator it = db_.store().Scan(db_.revocations, {.limit = limit});
  for (; it.Valid() && it.key() < std::string_view(end); it.Next()) {
    stale.Delete(db_.revocations, it.key());
  }
  if (!it.status().ok()) return it.status();
  if (stale.count() == 0) return absl::OkStatus();
  return db_.store().Write(&stale, {.sync = false});
}

absl::StatusOr<std::vector<PendingRevocation>> RevocationOutbox::Recorded(absl::Time since,
                                                                          size_t limit) const {
  // Keys start with the time: every key past `since`'s 8 bytes is at or after it.
  const std::string start = store::EncodeTime(since);
  std::vector<PendingRevocation> entries;
  store::PrefixIterator it =
      db_.store().Scan(db_.revocations, {.start_after = std::string_view(start), .limit = limit});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<storage::RevocationRecord> record =
        store::ParseRecord<storage::RevocationRecord>(db_.revocations, it.value());
    if (!record.ok()) return record.status();
    entries.push_back({.kind = record->kind(),
                       .id = record->id(),
                       .revoke_time = auth::TimeFromProto(record->revoke_time())});
  }
  if (!it.status().ok()) return it.status();
  return entries;
}

absl::StatusOr<std::vector<PendingRevocation>> RevocationOutbox::Oldest(size_t limit) const {
  absl::StatusOr<std::vector<store::Outbox::Entry>> oldest = queue_.Oldest(limit);
  if (!oldest.ok()) return oldest.status();
  std::vector<PendingRevocation> entries;
  for (store::Outbox::Entry& entry : *oldest) {
    absl::StatusOr<storage::RevocationRecord> record =
        store::ParseRecord<storage::RevocationRecord>(db_.revocation_outbox, entry.value);
    if (!record.ok()) return record.status();
    entries.push_back({.key = std::move(entry.key),
                       .kind = record->kind(),
                       .id = record->id(),
                       .revoke_time = auth::TimeFromProto(record->revoke_time())});
  }
  return entries;
}

absl::Status RevocationOutbox::Remove(const std::vector<PendingRevocation>& entries) {
  std::vector<store::Outbox::Entry> done;
  done.reserve(entries.size());
  for (const PendingRevocation& entry : entries) done.push_back({.key = entry.key});
  return queue_.Remove(done);
}

}  // namespace bitcontent::accounts
