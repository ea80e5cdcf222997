// Members: their records (public view, key envelope, hashes of their authentication and
// recovery keys) and the indexes by normalised email and by legacy id. Reads are plain
// lookups; writes are staged into a caller's WriteBatch, because creating or changing a
// member always changes other records too (a session, a claim token) in the same
// atomic commit. Callers hold UserLocks::Creation() while claiming an email or legacy
// id and the member's lock while changing a member.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/store/write_batch.h"
#include "services/accounts/accounts_db.h"
#include "services/accounts/records.pb.h"

namespace bitcontent::accounts {

class UserStore {
 public:
  explicit UserStore(const AccountsDb& db) : db_(db) {}

  // The member `user_id`; NOT_FOUND naming "users/{user_id}" when there is none.
  absl::StatusOr<storage::UserRecord> Get(absl::string_view user_id) const;

  // The member whose normalised email is `normal_email`, if any.
  absl::StatusOr<std::optional<storage::UserRecord>> FindByEmail(
      absl::string_view normal_email) const;

  // The id of the member imported with `legacy_id`, if any.
  absl::StatusOr<std::optional<std::string>> FindIdByLegacyId(absl::string_view legacy_id) const;

  // Stages a new member: the record, its email and (when set) its legacy id index
  // entries. The caller has checked that both are free, under the creation lock.
  void StageCreate(store::WriteBatch* batch, const storage::UserRecord& record) const;

  // Stages a changed record of an existing member (its email does not change).
  void StageUpdate(store::WriteBatch* batch, const storage::UserRecord& record) const;

  // The id inside a record's "users/{id}" name.
  static std::string IdOf(const storage::UserRecord& record);

 private:
  const AccountsDb& db_;
};

}  // namespace bitcontent::accounts
