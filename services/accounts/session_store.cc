#include "services/accounts/session_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/auth/opaque_token.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/accounts/limits.h"
#include "services/accounts/resource_names.h"

namespace bitcontent::accounts {
namespace {

using storage::SessionRecord;

bool IsLive(const SessionRecord& session, absl::Time now) {
  return auth::TimeFromProto(session.expire_time()) > now;
}

absl::Status InvalidRefreshToken() {
  return absl::UnauthenticatedError(
      "refresh token is not valid (unknown, or its session was signed out); log in again");
}

}  // namespace

v1::Session ToSession(const SessionRecord& record) {
  v1::Session session;
  session.set_name(SessionName(record.user_id(), record.session_id()));
  *session.mutable_device() = record.device();
  *session.mutable_create_time() = record.create_time();
  *session.mutable_last_active_time() = record.last_active_time();
  *session.mutable_expire_time() = record.expire_time();
  session.set_last_ip(record.last_ip());
  return session;
}

SessionStore::SessionStore(const AccountsDb& db, UserLocks* locks, RevocationOutbox* outbox,
                           absl::Duration refresh_token_ttl)
    : db_(db), locks_(locks), outbox_(outbox), refresh_token_ttl_(refresh_token_ttl) {}

std::string SessionStore::AddRefreshToken(store::WriteBatch* batch, SessionRecord* session) const {
  const auth::OpaqueToken token = auth::NewOpaqueToken(auth::kRefreshTokenPrefix);
  auto& family = *session->mutable_refresh_tokens();
  uint64_t generation = 0;
  if (!family.empty()) {
    family.rbegin()->set_used(true);
    generation = family.rbegin()->generation() + 1;
  }
  storage::RefreshTokenRecord* added = session->add_refresh_tokens();
  added->set_token_id(token.id);
  added->set_secret_hash(auth::HashOpaqueSecret(token.secret));
  added->set_generation(generation);
  storage::RefreshTokenIndex index;
  index.set_user_id(session->user_id());
  index.set_session_id(session->session_id());
  store::PutRecord(batch, db_.refresh_tokens, token.id, index);
  // Older tokens than the remembered window are forgotten: presenting one is then
  // "unknown" instead of "reused", which still refuses it.
  while (static_cast<size_t>(family.size()) > kRefreshTokensRememberedMax) {
    batch->Delete(db_.refresh_tokens, family.begin()->token_id());
    family.erase(family.begin());
  }
  return token.text;
}

absl::StatusOr<std::vector<SessionRecord>> SessionStore::AllOf(absl::string_view user_id) const {
  std::vector<SessionRecord> sessions;
  // Opening a session keeps the count at kSessionsPerUserMax, so this bound only guards
  // against a store damaged some other way.
  store::PrefixIterator it = db_.store().Scan(
      db_.sessions, {.prefix = store::KeyView(user_id), .limit = kSessionsPerUserMax * 4});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<SessionRecord> session =
        store::ParseRecord<SessionRecord>(db_.sessions, it.value());
    if (!session.ok()) return session.status();
    sessions.push_back(std::move(*session));
  }
  if (!it.status().ok()) return it.status();
  return sessions;
}

absl::StatusOr<IssuedSession> SessionStore::StageOpen(store::WriteBatch* batch,
                                                      absl::string_view user_id,
                                                      const v1::DeviceInfo& device,
                                                      absl::string_view ip, absl::Time now) const {
  absl::StatusOr<std::vector<SessionRecord>> existing = AllOf(user_id);
  if (!existing.ok()) return existing.status();
  std::vector<const SessionRecord*> live;
  for (const SessionRecord& session : *existing) {
    if (IsLive(session, now)) {
      live.push_back(&session);
    } else {
      StageRevoke(batch, session, now);
    }
  }
  // Sign out the least recently active sessions to make room for the new one.
  std::sort(live.begin(), live.end(), [](const SessionRecord* a, const SessionRecord* b) {
    return auth::TimeFromProto(a->last_active_time()) < auth::TimeFromProto(b->last_active_time());
  });
  for (size_t i = 0; i + kSessionsPerUserMax <= live.size(); ++i) StageRevoke(batch, *live[i], now);

  IssuedSession issued;
  SessionRecord& session = issued.session;
  session.set_user_id(std::string(user_id));
  session.set_session_id(ids::NewId());
  *session.mutable_device() = device;
  *session.mutable_create_time() = auth::ProtoFromTime(now);
  *session.mutable_last_active_time() = auth::ProtoFromTime(now);
  *session.mutable_expire_time() = auth::ProtoFromTime(now + refresh_token_ttl_);
  session.set_last_ip(std::string(ip));
  issued.refresh_token = AddRefreshToken(batch, &session);
  store::PutRecord(batch, db_.sessions, store::JoinKey(user_id, session.session_id()), session);
  return issued;
}

absl::StatusOr<IssuedSession> SessionStore::StageRotate(store::WriteBatch* batch,
                                                        absl::string_view user_id,
                                                        absl::string_view session_id,
                                                        absl::string_view ip,
                                                        absl::Time now) const {
  absl::StatusOr<SessionRecord> session = GetLive(user_id, session_id, now);
  if (!session.ok()) return session.status();
  IssuedSession issued{.session = std::move(*session)};
  issued.refresh_token = AddRefreshToken(batch, &issued.session);
  *issued.session.mutable_last_active_time() = auth::ProtoFromTime(now);
  *issued.session.mutable_expire_time() = auth::ProtoFromTime(now + refresh_token_ttl_);
  if (!ip.empty()) issued.session.set_last_ip(std::string(ip));
  store::PutRecord(batch, db_.sessions, store::JoinKey(user_id, session_id), issued.session);
  return issued;
}

void SessionStore::StageRevoke(store::WriteBatch* batch, const SessionRecord& session,
                               absl::Time now) const {
  batch->Delete(db_.sessions, store::JoinKey(session.user_id(), session.session_id()));
  for (const storage::RefreshTokenRecord& token : session.refresh_tokens()) {
    batch->Delete(db_.refresh_tokens, token.token_id());
  }
  // An expired session's access tokens have expired too; nothing to tell the gateway.
  if (IsLive(session, now)) outbox_->Stage(batch, kRevokedSession, session.session_id(), now);
}

absl::StatusOr<size_t> SessionStore::StageRevokeAll(store::WriteBatch* batch,
                                                    absl::string_view user_id,
                                                    std::optional<absl::string_view> keep,
                                                    absl::Time now) const {
  absl::StatusOr<std::vector<SessionRecord>> sessions = AllOf(user_id);
  if (!sessions.ok()) return sessions.status();
  size_t revoked = 0;
  for (const SessionRecord& session : *sessions) {
    if (keep.has_value() && session.session_id() == *keep) continue;
    StageRevoke(batch, session, now);
    ++revoked;
  }
  return revoked;
}

absl::StatusOr<IssuedSession> SessionStore::RevokeForReuse(const SessionRecord& session,
                                                           absl::Time now) {
  store::WriteBatch batch;
  StageRevoke(&batch, session, now);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  outbox_->Notify();
  return kit::WithReason(absl::UnauthenticatedError(
                             "this refresh token was already used, so a copy of it may be in other "
                             "hands: its session has been signed out for safety; log in again"),
                         common::v1::ERROR_REASON_TOKEN_REVOKED);
}

absl::StatusOr<IssuedSession> SessionStore::Refresh(absl::string_view refresh_token,
                                                    absl::string_view ip, absl::Time now) {
  absl::StatusOr<auth::OpaqueToken> token =
      auth::ParseOpaqueToken(refresh_token, auth::kRefreshTokenPrefix);
  if (!token.ok()) return token.status();
  absl::StatusOr<std::optional<storage::RefreshTokenIndex>> index =
      store::FindRecord<storage::RefreshTokenIndex>(db_.store(), db_.refresh_tokens, token->id);
  if (!index.ok()) return index.status();
  if (!index->has_value()) return InvalidRefreshToken();
  const std::string user_id = (*index)->user_id();
  const std::string session_id = (*index)->session_id();

  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<std::optional<SessionRecord>> session = store::FindRecord<SessionRecord>(
      db_.store(), db_.sessions, store::JoinKey(user_id, session_id));
  if (!session.ok()) return session.status();
  if (!session->has_value()) return InvalidRefreshToken();
  const auto& family = (*session)->refresh_tokens();
  auto presented = std::find_if(family.begin(), family.end(),
                                [&](const auto& record) { return record.token_id() == token->id; });
  if (presented == family.end() ||
      !auth::OpaqueSecretMatches(presented->secret_hash(), token->secret)) {
    return InvalidRefreshToken();
  }
  if (!IsLive(**session, now)) {
    return kit::WithReason(absl::UnauthenticatedError("the session expired; log in again"),
                           common::v1::ERROR_REASON_TOKEN_EXPIRED);
  }
  if (presented->used()) return RevokeForReuse(**session, now);

  store::WriteBatch batch;
  absl::StatusOr<IssuedSession> issued = StageRotate(&batch, user_id, session_id, ip, now);
  if (!issued.ok()) return issued.status();
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return issued;
}

absl::StatusOr<SessionRecord> SessionStore::Revoke(absl::string_view user_id,
                                                   absl::string_view session_id, absl::Time now) {
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<SessionRecord> session = GetLive(user_id, session_id, now);
  if (!session.ok()) return session.status();
  store::WriteBatch batch;
  StageRevoke(&batch, *session, now);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  outbox_->Notify();
  return session;
}

absl::Status SessionStore::RevokeAll(absl::string_view user_id, absl::Time now) {
  absl::MutexLock lock(&locks_->ForUser(user_id));
  store::WriteBatch batch;
  absl::StatusOr<size_t> revoked = StageRevokeAll(&batch, user_id, std::nullopt, now);
  if (!revoked.ok()) return revoked.status();
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  outbox_->Notify();
  return absl::OkStatus();
}

absl::StatusOr<SessionRecord> SessionStore::GetLive(absl::string_view user_id,
                                                    absl::string_view session_id,
                                                    absl::Time now) const {
  absl::StatusOr<std::optional<SessionRecord>> session = store::FindRecord<SessionRecord>(
      db_.store(), db_.sessions, store::JoinKey(user_id, session_id));
  if (!session.ok()) return session.status();
  if (!session->has_value() || !IsLive(**session, now)) {
    return absl::NotFoundError(absl::StrCat(SessionName(user_id, session_id),
                                            " is not a live session (signed out or expired)"));
  }
  return std::move(**session);
}

absl::StatusOr<SessionPage> SessionStore::List(absl::string_view user_id, int32_t page_size,
                                               absl::string_view page_token, absl::Time now) const {
  absl::StatusOr<size_t> size = kit::PageSizeOf(page_size);
  if (!size.ok()) return size.status();
  if (absl::Status s = kit::ValidatePageToken(page_token); !s.ok()) return s;
  const std::string start_after = store::JoinKey(user_id, page_token);
  store::ScanOptions options{.prefix = store::KeyView(user_id)};
  if (!page_token.empty()) options.start_after = start_after;
  SessionPage page;
  store::PrefixIterator it = db_.store().Scan(db_.sessions, options);
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<SessionRecord> session =
        store::ParseRecord<SessionRecord>(db_.sessions, it.value());
    if (!session.ok()) return session.status();
    if (!IsLive(*session, now)) continue;
    if (page.sessions.size() == *size) {
      page.next_page_token = page.sessions.back().session_id();
      break;
    }
    page.sessions.push_back(std::move(*session));
  }
  if (!it.status().ok()) return it.status();
  return page;
}

}  // namespace bitcontent::accounts
