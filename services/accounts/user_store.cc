#include "services/accounts/user_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/store/record_io.h"
#include "services/accounts/resource_names.h"

namespace bitcontent::accounts {

absl::StatusOr<storage::UserRecord> UserStore::Get(absl::string_view user_id) const {
  absl::StatusOr<std::optional<storage::UserRecord>> record =
      store::FindRecord<storage::UserRecord>(db_.store(), db_.users, user_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return absl::NotFoundError(absl::StrCat(UserName(user_id), " does not exist"));
  }
  return std::move(**record);
}

absl::StatusOr<std::optional<storage::UserRecord>> UserStore::FindByEmail(
    absl::string_view normal_email) const {
  absl::StatusOr<std::string> id = db_.store().Get(db_.emails, store::KeyView(normal_email));
  if (absl::IsNotFound(id.status())) return std::optional<storage::UserRecord>();
  if (!id.ok()) return id.status();
  absl::StatusOr<storage::UserRecord> record = Get(*id);
  if (!record.ok()) return record.status();
  return std::optional<storage::UserRecord>(std::move(*record));
}

absl::StatusOr<std::optional<std::string>> UserStore::FindIdByLegacyId(
    absl::string_view legacy_id) const {
  absl::StatusOr<std::string> id = db_.store().Get(db_.legacy_ids, store::KeyView(legacy_id));
  if (absl::IsNotFound(id.status())) return std::optional<std::string>();
  if (!id.ok()) return id.status();
  return std::optional<std::string>(std::move(*id));
}

void UserStore::StageCreate(store::WriteBatch* batch, const storage::UserRecord& record) const {
  const std::string id = IdOf(record);
  store::PutRecord(batch, db_.users, id, record);
  batch->Put(db_.emails, record.user().email(), id);
  if (!record.user().legacy_id().empty()) {
    batch->Put(db_.legacy_ids, record.user().legacy_id(), id);
  }
}

void UserStore::StageUpdate(store::WriteBatch* batch, const storage::UserRecord& record) const {
  store::PutRecord(batch, db_.users, IdOf(record), record);
}

std::string UserStore::IdOf(const storage::UserRecord& record) {
  return std::string(absl::StripPrefix(record.user().name(), "users/"));
}

}  // namespace bitcontent::accounts
