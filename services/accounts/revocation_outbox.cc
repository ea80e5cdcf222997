#include "services/accounts/revocation_outbox.h"

#include "libs/auth/proto_time.h"
#include "libs/store/record_io.h"
#include "services/accounts/records.pb.h"

namespace bitcontent::accounts {

void RevocationOutbox::Stage(store::WriteBatch* batch, absl::string_view kind, absl::string_view id,
                             absl::Time now) {
  storage::RevocationRecord record;
  record.set_kind(std::string(kind));
  record.set_id(std::string(id));
  *record.mutable_revoke_time() = auth::ProtoFromTime(now);
  queue_.Stage(batch, record.SerializeAsString());
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
