// Sessions (one per login on a device) and their refresh-token families.
//
// Each session holds the hashes of its newest refresh tokens. A refresh token works
// once: Refresh marks it used and hands out its successor. Presenting a used one means
// two parties hold copies of the family, so the whole session is revoked on the spot
// (RFC 6819 5.2.2.3 / OAuth 2.1 refresh-token rotation). A revoked session's record is
// deleted, which makes every token of it fail here, and an outbox entry tells the
// gateway through Redis.
//
// Methods named Stage* add to a caller's WriteBatch and require the caller to hold the
// member's lock (UserLocks::ForUser); the other writers take it themselves.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/users.pb.h"
#include "libs/store/write_batch.h"
#include "services/accounts/accounts_db.h"
#include "services/accounts/records.pb.h"
#include "services/accounts/revocation_outbox.h"
#include "services/accounts/user_locks.h"

namespace bitcontent::accounts {

// A session together with the refresh token just issued for it (shown once).
struct IssuedSession {
  storage::SessionRecord session = {};
  std::string refresh_token = {};
};

struct SessionPage {
  std::vector<storage::SessionRecord> sessions = {};
  std::string next_page_token = {};
};

// The public view of a session record (`current` left false).
v1::Session ToSession(const storage::SessionRecord& record);

class SessionStore {
 public:
  // `refresh_token_ttl`: how long a family lives without a refresh.
  SessionStore(const AccountsDb& db, UserLocks* locks, RevocationOutbox* outbox,
               absl::Duration refresh_token_ttl);

  // Stages a new session with its first refresh token. Expired sessions of the member
  // are deleted, and when the member already has kSessionsPerUserMax live sessions the
  // least recently active one is revoked, in the same batch.
  absl::StatusOr<IssuedSession> StageOpen(store::WriteBatch* batch, absl::string_view user_id,
                                          const v1::DeviceInfo& device, absl::string_view ip,
                                          absl::Time now) const;

  // Stages a new refresh token for a live session (the current one counts as used).
  // NOT_FOUND when the session is gone or expired.
  absl::StatusOr<IssuedSession> StageRotate(store::WriteBatch* batch, absl::string_view user_id,
                                            absl::string_view session_id, absl::string_view ip,
                                            absl::Time now) const;

  // Stages the revocation of one session: its record and token index entries go, an
  // outbox entry comes. Call RevocationOutbox::Notify() after the commit.
  void StageRevoke(store::WriteBatch* batch, const storage::SessionRecord& session,
                   absl::Time now) const;

  // Stages the revocation of every session of the member except `keep` (when set).
  // Returns how many were revoked.
  absl::StatusOr<size_t> StageRevokeAll(store::WriteBatch* batch, absl::string_view user_id,
                                        std::optional<absl::string_view> keep,
                                        absl::Time now) const;

  // Exchanges a refresh token for its successor. UNAUTHENTICATED for an unknown,
  // malformed, expired or revoked token; for a token already used, the session is
  // revoked first (TOKEN_REVOKED).
  absl::StatusOr<IssuedSession> Refresh(absl::string_view refresh_token, absl::string_view ip,
                                        absl::Time now);

  // Revokes one session of the member; returns it as it was. NOT_FOUND when it is not
  // a live session of that member.
  absl::StatusOr<storage::SessionRecord> Revoke(absl::string_view user_id,
                                                absl::string_view session_id, absl::Time now);

  // Revokes every session of the member.
  absl::Status RevokeAll(absl::string_view user_id, absl::Time now);

  // The live session; NOT_FOUND when revoked, expired or unknown.
  absl::StatusOr<storage::SessionRecord> GetLive(absl::string_view user_id,
                                                 absl::string_view session_id,
                                                 absl::Time now) const;

  // Live sessions of the member in creation order. `page_size` as kit::PageSizeOf takes it (0 means
  // the default); `page_token` is a previous next_page_token.
  absl::StatusOr<SessionPage> List(absl::string_view user_id, int32_t page_size,
                                   absl::string_view page_token, absl::Time now) const;

 private:
  // Builds a fresh refresh token as the newest of `session`'s family, staging its index
  // entry and the removal of tokens that fall out of the remembered window.
  std::string AddRefreshToken(store::WriteBatch* batch, storage::SessionRecord* session) const;
  absl::StatusOr<std::vector<storage::SessionRecord>> AllOf(absl::string_view user_id) const;
  absl::StatusOr<IssuedSession> RevokeForReuse(const storage::SessionRecord& session,
                                               absl::Time now);

  const AccountsDb& db_;
  UserLocks* const locks_;
  RevocationOutbox* const outbox_;
  const absl::Duration refresh_token_ttl_;
};

}  // namespace bitcontent::accounts
