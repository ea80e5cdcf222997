#include "services/accounts/api_key_store.h"

#include <algorithm>
#include <set>

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
#include "services/accounts/validation.h"

namespace bitcontent::accounts {
namespace {

using storage::ApiKeyRecord;

bool IsActive(const ApiKeyRecord& record, absl::Time now) {
  return ApiKeyView(record, now).state() == v1::API_KEY_STATE_ACTIVE;
}

// The scopes of a valid request, sorted and without duplicates.
absl::StatusOr<std::vector<common::v1::Scope>> CheckScopes(const v1::CreateApiKeyRequest& request) {
  std::set<common::v1::Scope> scopes;
  for (int scope : request.scopes()) {
    if (scope == common::v1::SCOPE_UNSPECIFIED || !common::v1::Scope_IsValid(scope)) {
      return kit::FieldError("scopes", absl::StrCat("holds an unknown scope (", scope, ")"));
    }
    scopes.insert(static_cast<common::v1::Scope>(scope));
  }
  if (scopes.empty()) return kit::FieldError("scopes", "needs at least one scope");
  const bool pays = scopes.contains(common::v1::SCOPE_WALLET_PAY);
  if (pays && (!request.has_spend_limit() || request.spend_limit().limit_msat() == 0 ||
               request.spend_limit().period() == v1::SPEND_LIMIT_PERIOD_UNSPECIFIED)) {
    return kit::FieldError("spend_limit",
                           "is required with wallet:pay: a limit_msat above 0 and a period");
  }
  if (!pays && request.has_spend_limit()) {
    return kit::FieldError("spend_limit", "is only allowed with the wallet:pay scope");
  }
  return std::vector<common::v1::Scope>(scopes.begin(), scopes.end());
}

absl::Status CheckRequest(const v1::CreateApiKeyRequest& request, absl::Time now) {
  const std::string& name = request.display_name();
  if (name.empty()) return kit::FieldError("display_name", "is required");
  if (name.size() > kApiKeyDisplayNameLengthMax) {
    return kit::FieldError(
        "display_name",
        absl::StrCat("is longer than ", kApiKeyDisplayNameLengthMax, " characters"));
  }
  if (request.has_expire_time() && auth::TimeFromProto(request.expire_time()) <= now) {
    return kit::FieldError("expire_time", "must be in the future");
  }
  return ValidateRequestId(request.request_id(), "request_id");
}

std::string CreateFingerprint(const v1::CreateApiKeyRequest& request,
                              const std::vector<common::v1::Scope>& scopes) {
  std::string scope_list;
  for (common::v1::Scope scope : scopes) absl::StrAppend(&scope_list, scope, ",");
  return Fingerprint(
      {request.display_name(), scope_list,
       absl::StrCat(request.spend_limit().limit_msat(), "/", request.spend_limit().period()),
       request.has_expire_time() ? request.expire_time().SerializeAsString() : ""});
}

// Gives `record` a fresh secret, staging its index entry (and dropping the old one).
std::string StageNewSecret(const AccountsDb& db, store::WriteBatch* batch, ApiKeyRecord* record) {
  const auth::OpaqueToken token = auth::NewOpaqueToken(auth::kApiKeyPrefix);
  if (!record->token_id().empty()) batch->Delete(db.api_key_tokens, record->token_id());
  record->set_token_id(token.id);
  record->set_secret_hash(auth::HashOpaqueSecret(token.secret));
  record->mutable_api_key()->set_key_prefix(token.text.substr(0, kApiKeyPrefixLength));
  storage::ApiKeyIndex index;
  index.set_user_id(record->user_id());
  index.set_api_key_id(record->api_key_id());
  store::PutRecord(batch, db.api_key_tokens, token.id, index);
  store::PutRecord(batch, db.api_keys, store::JoinKey(record->user_id(), record->api_key_id()),
                   *record);
  return token.text;
}

absl::Status InvalidApiKey() {
  return absl::UnauthenticatedError("API key is not valid (unknown or revoked)");
}

}  // namespace

v1::ApiKey ApiKeyView(const ApiKeyRecord& record, absl::Time now) {
  v1::ApiKey view = record.api_key();
  if (view.state() == v1::API_KEY_STATE_ACTIVE && view.has_expire_time() &&
      auth::TimeFromProto(view.expire_time()) <= now) {
    view.set_state(v1::API_KEY_STATE_EXPIRED);
  }
  return view;
}

absl::StatusOr<std::vector<ApiKeyRecord>> ApiKeyStore::AllOf(absl::string_view user_id) const {
  std::vector<ApiKeyRecord> records;
  store::PrefixIterator it = db_.store().Scan(
      db_.api_keys, {.prefix = store::KeyView(user_id), .limit = kApiKeysPerUserMax});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<ApiKeyRecord> record =
        store::ParseRecord<ApiKeyRecord>(db_.api_keys, it.value());
    if (!record.ok()) return record.status();
    records.push_back(std::move(*record));
  }
  if (!it.status().ok()) return it.status();
  return records;
}

absl::StatusOr<CreatedApiKey> ApiKeyStore::Create(absl::string_view user_id,
                                                  const v1::CreateApiKeyRequest& request,
                                                  absl::Time now) {
  if (absl::Status s = CheckRequest(request, now); !s.ok()) return s;
  absl::StatusOr<std::vector<common::v1::Scope>> scopes = CheckScopes(request);
  if (!scopes.ok()) return scopes.status();
  const std::string fingerprint = CreateFingerprint(request, *scopes);

  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<std::vector<ApiKeyRecord>> existing = AllOf(user_id);
  if (!existing.ok()) return existing.status();
  size_t active = 0;
  for (ApiKeyRecord& record : *existing) {
    if (!request.request_id().empty() &&
        record.create_request().request_id() == request.request_id()) {
      return Retry(std::move(record), fingerprint, now);
    }
    if (IsActive(record, now)) ++active;
  }
  if (active >= kActiveApiKeysPerUserMax || existing->size() >= kApiKeysPerUserMax) {
    return absl::ResourceExhaustedError(absl::StrCat("a member may hold ", kActiveApiKeysPerUserMax,
                                                     " active API keys (and ", kApiKeysPerUserMax,
                                                     " in all); revoke one you no longer use"));
  }

  ApiKeyRecord record;
  record.set_user_id(std::string(user_id));
  record.set_api_key_id(ids::NewId());
  v1::ApiKey& key = *record.mutable_api_key();
  key.set_name(ApiKeyName(user_id, record.api_key_id()));
  key.set_display_name(request.display_name());
  for (common::v1::Scope scope : *scopes) key.add_scopes(scope);
  if (request.has_spend_limit()) {
    key.mutable_spend_limit()->set_limit_msat(request.spend_limit().limit_msat());
    key.mutable_spend_limit()->set_period(request.spend_limit().period());
    *key.mutable_spend_limit()->mutable_period_start_time() =
        auth::ProtoFromTime(SpendPeriodStart(request.spend_limit().period(), now, now));
  }
  key.set_state(v1::API_KEY_STATE_ACTIVE);
  *key.mutable_create_time() = auth::ProtoFromTime(now);
  if (request.has_expire_time()) *key.mutable_expire_time() = request.expire_time();
  record.mutable_create_request()->set_request_id(request.request_id());
  record.mutable_create_request()->set_fingerprint(fingerprint);
  *record.mutable_create_request()->mutable_time() = auth::ProtoFromTime(now);

  store::WriteBatch batch;
  CreatedApiKey created;
  created.secret = StageNewSecret(db_, &batch, &record);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  created.api_key = ApiKeyView(record, now);
  return created;
}

absl::StatusOr<CreatedApiKey> ApiKeyStore::Retry(ApiKeyRecord record, absl::string_view fingerprint,
                                                 absl::Time now) {
  if (record.create_request().fingerprint() != fingerprint) {
    return kit::WithReason(
        kit::FieldError("request_id", "was already used for a different API key"),
        common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
  }
  if (!IsActive(record, now) || record.api_key().has_last_used_time()) {
    return absl::FailedPreconditionError(
        "the API key this request_id created is already in use or revoked, and its secret "
        "was shown once; create a new key with another request_id");
  }
  // The first answer was lost before the key was ever used: nobody holds its secret, so
  // replacing the secret is safe and gives the caller a usable one.
  store::WriteBatch batch;
  CreatedApiKey created;
  created.secret = StageNewSecret(db_, &batch, &record);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  created.api_key = ApiKeyView(record, now);
  return created;
}

absl::StatusOr<ApiKeyPage> ApiKeyStore::List(absl::string_view user_id, int32_t page_size,
                                             absl::string_view page_token, bool show_inactive,
                                             absl::Time now) const {
  absl::StatusOr<size_t> size = kit::PageSizeOf(page_size);
  if (!size.ok()) return size.status();
  if (absl::Status s = kit::ValidatePageToken(page_token); !s.ok()) return s;
  const std::string start_after = store::JoinKey(user_id, page_token);
  store::ScanOptions options{.prefix = store::KeyView(user_id), .limit = kApiKeysPerUserMax};
  if (!page_token.empty()) options.start_after = start_after;
  ApiKeyPage page;
  std::string last_id;
  store::PrefixIterator it = db_.store().Scan(db_.api_keys, options);
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<ApiKeyRecord> record =
        store::ParseRecord<ApiKeyRecord>(db_.api_keys, it.value());
    if (!record.ok()) return record.status();
    if (!show_inactive && !IsActive(*record, now)) continue;
    if (page.api_keys.size() == *size) {
      page.next_page_token = last_id;
      break;
    }
    last_id = record->api_key_id();
    page.api_keys.push_back(ApiKeyView(*record, now));
  }
  if (!it.status().ok()) return it.status();
  return page;
}

void ApiKeyStore::StageRevoke(store::WriteBatch* batch, ApiKeyRecord* record,
                              absl::Time now) const {
  record->mutable_api_key()->set_state(v1::API_KEY_STATE_REVOKED);
  *record->mutable_api_key()->mutable_revoke_time() = auth::ProtoFromTime(now);
  batch->Delete(db_.api_key_tokens, record->token_id());
  store::PutRecord(batch, db_.api_keys, store::JoinKey(record->user_id(), record->api_key_id()),
                   *record);
  outbox_->Stage(batch, kRevokedApiKey, record->api_key_id(), now);
}

absl::StatusOr<v1::ApiKey> ApiKeyStore::Revoke(absl::string_view user_id,
                                               absl::string_view api_key_id, absl::Time now) {
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<ApiKeyRecord> record = Get(user_id, api_key_id);
  if (!record.ok()) return record.status();
  if (record->api_key().state() == v1::API_KEY_STATE_REVOKED) return ApiKeyView(*record, now);
  store::WriteBatch batch;
  StageRevoke(&batch, &*record, now);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  outbox_->Notify();
  return ApiKeyView(*record, now);
}

absl::Status ApiKeyStore::StageRevokeAll(store::WriteBatch* batch, absl::string_view user_id,
                                         absl::Time now) const {
  absl::StatusOr<std::vector<ApiKeyRecord>> records = AllOf(user_id);
  if (!records.ok()) return records.status();
  for (ApiKeyRecord& record : *records) {
    if (record.api_key().state() == v1::API_KEY_STATE_ACTIVE) StageRevoke(batch, &record, now);
  }
  return absl::OkStatus();
}

absl::StatusOr<ApiKeyRecord> ApiKeyStore::Authenticate(absl::string_view secret, absl::Time now) {
  absl::StatusOr<auth::OpaqueToken> token = auth::ParseOpaqueToken(secret, auth::kApiKeyPrefix);
  if (!token.ok()) return token.status();
  absl::StatusOr<std::optional<storage::ApiKeyIndex>> index =
      store::FindRecord<storage::ApiKeyIndex>(db_.store(), db_.api_key_tokens, token->id);
  if (!index.ok()) return index.status();
  if (!index->has_value()) return InvalidApiKey();
  absl::StatusOr<ApiKeyRecord> record = Get((*index)->user_id(), (*index)->api_key_id());
  if (absl::IsNotFound(record.status())) return InvalidApiKey();
  if (!record.ok()) return record.status();
  if (record->token_id() != token->id ||
      !auth::OpaqueSecretMatches(record->secret_hash(), token->secret)) {
    return InvalidApiKey();
  }
  if (!IsActive(*record, now)) {
    return kit::WithReason(absl::UnauthenticatedError("API key expired"),
                           common::v1::ERROR_REASON_TOKEN_EXPIRED);
  }
  const bool stale =
      !record->api_key().has_last_used_time() ||
      auth::TimeFromProto(record->api_key().last_used_time()) + kApiKeyLastUsedGranularity <= now;
  if (stale) {
    absl::MutexLock lock(&locks_->ForUser(record->user_id()));
    // Re-read under the lock so a revocation that just happened is not overwritten.
    absl::StatusOr<ApiKeyRecord> fresh = Get(record->user_id(), record->api_key_id());
    if (!fresh.ok()) return fresh.status();
    if (!IsActive(*fresh, now)) return InvalidApiKey();
    *fresh->mutable_api_key()->mutable_last_used_time() = auth::ProtoFromTime(now);
    // Not synced: losing a last-used time in a crash costs nothing.
    store::WriteBatch batch;
    store::PutRecord(&batch, db_.api_keys, store::JoinKey(fresh->user_id(), fresh->api_key_id()),
                     *fresh);
    if (absl::Status s = db_.store().Write(&batch, {.sync = false}); !s.ok()) return s;
    return fresh;
  }
  return record;
}

absl::StatusOr<ApiKeyRecord> ApiKeyStore::Get(absl::string_view user_id,
                                              absl::string_view api_key_id) const {
  absl::StatusOr<std::optional<ApiKeyRecord>> record = store::FindRecord<ApiKeyRecord>(
      db_.store(), db_.api_keys, store::JoinKey(user_id, api_key_id));
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return absl::NotFoundError(absl::StrCat(ApiKeyName(user_id, api_key_id), " does not exist"));
  }
  return std::move(**record);
}

}  // namespace bitcontent::accounts
