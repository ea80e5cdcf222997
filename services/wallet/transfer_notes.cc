#include "services/wallet/transfer_notes.h"

#include <string>

#include "libs/store/record_io.h"

namespace bitcontent::wallet {

absl::StatusOr<storage::TransferNote> TransferNotes::PutIfAbsent(
    const ledger::Id& id, const storage::TransferNote& note) {
  const std::string key = ledger::IdToBytes(id);
  absl::MutexLock lock(&locks_.For(key));
  absl::StatusOr<std::optional<storage::TransferNote>> existing =
      store::FindRecord<storage::TransferNote>(db_.store(), db_.transfer_notes, key);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return **existing;
  if (absl::Status put =
          db_.store().Put(db_.transfer_notes, key, note.SerializeAsString(), {.sync = false});
      !put.ok()) {
    return put;
  }
  return note;
}

absl::StatusOr<std::vector<std::optional<storage::TransferNote>>> TransferNotes::Get(
    absl::Span<const ledger::Id> ids) const {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (const ledger::Id& id : ids) keys.push_back(ledger::IdToBytes(id));
  const std::vector<std::string_view> views(keys.begin(), keys.end());
  absl::StatusOr<std::vector<std::optional<std::string>>> values =
      db_.store().MultiGet(db_.transfer_notes, views);
  if (!values.ok()) return values.status();
  std::vector<std::optional<storage::TransferNote>> notes(ids.size());
  for (size_t i = 0; i < values->size(); ++i) {
    if (!(*values)[i].has_value()) continue;
    absl::StatusOr<storage::TransferNote> note =
        store::ParseRecord<storage::TransferNote>(db_.transfer_notes, *(*values)[i]);
    if (!note.ok()) return note.status();
    notes[i] = *std::move(note);
  }
  return notes;
}

bool SameNote(const storage::TransferNote& a, const storage::TransferNote& b) {
  return a.memo() == b.memo() && a.reference() == b.reference() &&
         a.request_id() == b.request_id() && a.actor_user_id() == b.actor_user_id();
}

}  // namespace bitcontent::wallet
