#include "services/accounts/revocation_outbox.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/accounts/records.pb.h"

namespace bitcontent::accounts {

void RevocationOutbox::Stage(store::WriteBatch* batch, absl::string_view kind, absl::string_view id,
                             absl::Time now) const {
  storage::RevocationRecord record;
  record.set_kind(std::string(kind));
  record.set_id(std::string(id));
  *record.mutable_revoke_time() = auth::ProtoFromTime(now);
  // Time first, so the oldest entries come first; kind and id make the key unique.
  store::PutRecord(batch, db_.revocation_outbox,
                   absl::StrCat(store::EncodeTime(now), kind, ":", id), record);
}

void RevocationOutbox::Notify() {
  absl::MutexLock lock(&mu_);
  notified_ = true;
}

void RevocationOutbox::WaitForWork(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&notified_), timeout);
  notified_ = false;
}

absl::StatusOr<std::vector<PendingRevocation>> RevocationOutbox::Oldest(size_t limit) const {
  std::vector<PendingRevocation> entries;
  store::PrefixIterator it = db_.store().Scan(db_.revocation_outbox, {.limit = limit});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<storage::RevocationRecord> record =
        store::ParseRecord<storage::RevocationRecord>(db_.revocation_outbox, it.value());
    if (!record.ok()) return record.status();
    entries.push_back({.key = std::string(it.key()),
                       .kind = record->kind(),
                       .id = record->id(),
                       .revoke_time = auth::TimeFromProto(record->revoke_time())});
  }
  if (!it.status().ok()) return it.status();
  return entries;
}

absl::Status RevocationOutbox::Remove(const std::vector<PendingRevocation>& entries) {
  store::WriteBatch batch;
  for (const PendingRevocation& entry : entries) batch.Delete(db_.revocation_outbox, entry.key);
  // Not synced: losing a deletion in a crash only publishes the entry once more.
  return db_.store().Write(&batch, {.sync = false});
}

}  // namespace bitcontent::accounts
