#include "services/metadata/change_log.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/kit/pagination.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"

namespace bitcontent::metadata {
namespace {

absl::StatusOr<uint64_t> ReadHead(const MetadataDb& db, absl::string_view user_id) {
  absl::StatusOr<std::string> head = db.store().Get(db.change_heads, store::KeyView(user_id));
  if (absl::IsNotFound(head.status())) return 0;
  if (!head.ok()) return head.status();
  const std::optional<uint64_t> sequence = store::DecodeUint64(*head);
  if (!sequence.has_value()) {
    return absl::DataLossError(absl::StrCat("change log head of ", user_id, " is unreadable"));
  }
  return *sequence;
}

}  // namespace

absl::Status ChangeLogWriter::Commit(store::WriteBatch* batch, std::vector<ChangeFor> changes) {
  std::vector<std::string> users;
  for (const ChangeFor& entry : changes) users.push_back(entry.user_id);
  kit::StripedLocks<>::ScopedStripes lock(locks_, users);
  std::map<std::string, uint64_t> heads;  // of the members with an entry here
  for (ChangeFor& entry : changes) {
    auto [head, first] = heads.try_emplace(entry.user_id, 0);
    if (first) {
      absl::StatusOr<uint64_t> stored = ReadHead(db_, entry.user_id);
      if (!stored.ok()) return stored.status();
      head->second = *stored;
    }
    entry.change.set_sequence(++head->second);
    std::string key = entry.user_id;
    store::AppendUint64(&key, head->second);
    store::PutRecord(batch, db_.changes, key, entry.change);
  }
  for (const auto& [user_id, head] : heads) {
    batch->Put(db_.change_heads, store::KeyView(user_id), store::EncodeUint64(head));
  }
  return db_.store().Write(batch, {.sync = true});
}

absl::StatusOr<ChangePage> ChangeLog::List(absl::string_view user_id, uint64_t since_sequence,
                                           int32_t page_size) const {
  absl::StatusOr<size_t> sized =
      kit::PageSizeOf(page_size, {.default_size = kPageSizeDefault, .max = kPageSizeMax});
  if (!sized.ok()) return sized.status();
  const size_t limit = *sized;
  std::string after(user_id);
  store::AppendUint64(&after, since_sequence);
  ChangePage page;
  page.last_sequence = since_sequence;
  store::PrefixIterator it = db_.store().Scan(
      db_.changes, {.prefix = store::KeyView(user_id), .start_after = after, .limit = limit + 1});
  for (; it.Valid(); it.Next()) {
    if (page.changes.size() == limit) {
      page.has_more = true;
      break;
    }
    absl::StatusOr<v1::Change> change = store::ParseRecord<v1::Change>(db_.changes, it.value());
    if (!change.ok()) return change.status();
    page.last_sequence = change->sequence();
    page.changes.push_back(*std::move(change));
  }
  if (!it.status().ok()) return it.status();
  return page;
}

absl::StatusOr<uint64_t> ChangeLog::Head(absl::string_view user_id) const {
  return ReadHead(db_, user_id);
}

}  // namespace bitcontent::metadata
