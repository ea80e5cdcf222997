#include "services/accounts/legacy_import.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/opaque_token.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/store/record_io.h"
#include "services/accounts/email.h"
#include "services/accounts/limits.h"
#include "services/accounts/resource_names.h"
#include "services/accounts/validation.h"

namespace bitcontent::accounts {
namespace {

using v1::ImportLineResult;

// One parsed line on its way through the batch.
struct Line {
  const v1::LegacyAccount* account = nullptr;
  std::string email = {};
  ImportLineResult result = {};
};

// Reads `keys` from `family` in MultiGet-sized chunks; nullopt for missing keys.
absl::StatusOr<std::vector<std::optional<std::string>>> ReadAll(
    const store::Store& store, store::ColumnFamily family, const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> values;
  values.reserve(keys.size());
  for (size_t start = 0; start < keys.size(); start += store::kMultiGetKeysMax) {
    const size_t end = std::min(keys.size(), start + store::kMultiGetKeysMax);
    std::vector<std::string_view> chunk(keys.begin() + start, keys.begin() + end);
    absl::StatusOr<std::vector<std::optional<std::string>>> got = store.MultiGet(family, chunk);
    if (!got.ok()) return got.status();
    for (auto& value : *got) values.push_back(std::move(value));
  }
  return values;
}

// The line's problem, or "" when it can be imported.
std::string LineError(const v1::LegacyAccount& account, const absl::StatusOr<std::string>& email) {
  if (!email.ok()) return std::string(email.status().message());
  if (account.legacy_id().empty()) return "legacy_id: is required";
  if (account.legacy_id().size() > kLegacyIdLengthMax) {
    return absl::StrCat("legacy_id: is longer than ", kLegacyIdLengthMax, " characters");
  }
  if (absl::Status s = ValidateRequestId(account.legacy_id(), "legacy_id"); !s.ok()) {
    return std::string(s.message());
  }
  return "";
}

void Reject(ImportLineResult* result, absl::string_view error, ImportTotals* totals) {
  result->set_outcome(v1::IMPORT_OUTCOME_REJECTED);
  result->set_error(std::string(error));
  ++totals->rejected;
}

}  // namespace

absl::StatusOr<v1::ImportLegacyAccountsResponse> LegacyImport::ImportBatch(
    const v1::ImportLegacyAccountsRequest& request, absl::Time now, ImportTotals* totals) {
  const size_t lines_in_batch =
      static_cast<size_t>(request.accounts_size() + request.unparsed_lines_size());
  if (lines_in_batch > kImportBatchAccountsMax) {
    return kit::FieldError(
        "accounts", absl::StrCat("a batch holds at most ", kImportBatchAccountsMax, " lines, got ",
                                 lines_in_batch));
  }
  v1::ImportLegacyAccountsResponse response;
  std::vector<Line> lines;
  lines.reserve(request.accounts_size());
  for (const v1::LegacyAccount& account : request.accounts()) {
    Line line{.account = &account};
    line.result.set_line_number(account.line_number());
    absl::StatusOr<std::string> email = NormalizeNewEmail(account.email());
    if (std::string error = LineError(account, email); !error.empty()) {
      ImportLineResult* result = response.add_results();
      result->set_line_number(account.line_number());
      Reject(result, error, totals);
      continue;
    }
    line.email = std::move(*email);
    lines.push_back(std::move(line));
  }
  for (const v1::UnparsedLine& unparsed : request.unparsed_lines()) {
    ImportLineResult* result = response.add_results();
    result->set_line_number(unparsed.line_number());
    Reject(result, absl::StrCat("unparsable line: ", unparsed.error()), totals);
  }

  std::vector<std::string> legacy_ids, emails;
  for (const Line& line : lines) {
    legacy_ids.push_back(line.account->legacy_id());
    emails.push_back(line.email);
  }
  absl::MutexLock lock(&locks_->Creation());
  absl::StatusOr<std::vector<std::optional<std::string>>> known_legacy =
      ReadAll(db_.store(), db_.legacy_ids, legacy_ids);
  if (!known_legacy.ok()) return known_legacy.status();
  absl::StatusOr<std::vector<std::optional<std::string>>> known_email =
      ReadAll(db_.store(), db_.emails, emails);
  if (!known_email.ok()) return known_email.status();

  // Ids and emails taken earlier in this same batch.
  absl::flat_hash_map<std::string, std::string> batch_legacy;
  absl::flat_hash_set<std::string> batch_emails;
  store::WriteBatch batch(lines.size() * 256);
  for (size_t i = 0; i < lines.size(); ++i) {
    Line& line = lines[i];
    const std::string& legacy_id = line.account->legacy_id();
    if ((*known_legacy)[i].has_value() || batch_legacy.contains(legacy_id)) {
      const std::string& user_id =
          (*known_legacy)[i].has_value() ? *(*known_legacy)[i] : batch_legacy[legacy_id];
      line.result.set_outcome(v1::IMPORT_OUTCOME_ALREADY_IMPORTED);
      line.result.set_user(UserName(user_id));
      ++totals->already_imported;
      continue;
    }
    if ((*known_email)[i].has_value() || batch_emails.contains(line.email)) {
      Reject(&line.result, "email already belongs to another account", totals);
      continue;
    }
    storage::UserRecord record;
    const std::string user_id = ids::NewId();
    v1::User& user = *record.mutable_user();
    user.set_name(UserName(user_id));
    user.set_email(line.email);
    user.set_state(v1::USER_STATE_PENDING_CLAIM);
    *user.mutable_create_time() = auth::ProtoFromTime(now);
    user.set_legacy_id(legacy_id);
    if (line.account->has_legacy_create_time()) {
      *user.mutable_legacy_create_time() = line.account->legacy_create_time();
    }
    if (request.issue_claim_tokens()) {
      line.result.set_claim_token(
          StageClaimToken(&batch, &record, now + kClaimTokenLifetimeDefault));
    }
    users_->StageCreate(&batch, record);
    batch_legacy[legacy_id] = user_id;
    batch_emails.insert(line.email);
    line.result.set_outcome(v1::IMPORT_OUTCOME_CREATED);
    line.result.set_user(user.name());
    ++totals->created;
  }
  if (batch.count() > 0) {
    if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  }
  for (Line& line : lines) *response.add_results() = std::move(line.result);
  std::sort(response.mutable_results()->begin(), response.mutable_results()->end(),
            [](const ImportLineResult& a, const ImportLineResult& b) {
              return a.line_number() < b.line_number();
            });
  response.set_created_count(totals->created);
  response.set_already_imported_count(totals->already_imported);
  response.set_rejected_count(totals->rejected);
  return response;
}

std::string LegacyImport::StageClaimToken(store::WriteBatch* batch, storage::UserRecord* user,
                                          absl::Time expire_time) const {
  const auth::OpaqueToken token = auth::NewOpaqueToken(auth::kClaimTokenPrefix);
  storage::ClaimTokenRecord claim;
  claim.set_user_id(UserStore::IdOf(*user));
  claim.set_secret_hash(auth::HashOpaqueSecret(token.secret));
  *claim.mutable_expire_time() = auth::ProtoFromTime(expire_time);
  if (!user->claim_token_id().empty()) batch->Delete(db_.claim_tokens, user->claim_token_id());
  store::PutRecord(batch, db_.claim_tokens, token.id, claim);
  user->set_claim_token_id(token.id);
  return token.text;
}

absl::StatusOr<v1::IssueClaimTokenResponse> LegacyImport::IssueClaimToken(
    absl::string_view user_id, std::optional<absl::Time> expire_time, absl::Time now) {
  const absl::Time expire = expire_time.value_or(now + kClaimTokenLifetimeDefault);
  if (expire <= now || expire > now + kClaimTokenLifetimeMax) {
    return kit::FieldError("expire_time", "must be in the future and at most 365 days ahead");
  }
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<storage::UserRecord> user = users_->Get(user_id);
  if (!user.ok()) return user.status();
  if (user->user().state() != v1::USER_STATE_PENDING_CLAIM) {
    return absl::FailedPreconditionError(
        absl::StrCat(user->user().name(), " is not awaiting a legacy claim"));
  }
  store::WriteBatch batch;
  v1::IssueClaimTokenResponse response;
  response.set_claim_token(StageClaimToken(&batch, &*user, expire));
  *response.mutable_expire_time() = auth::ProtoFromTime(expire);
  users_->StageUpdate(&batch, *user);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return response;
}

absl::StatusOr<storage::UserRecord> LegacyImport::CheckClaimToken(absl::string_view claim_token,
                                                                  absl::string_view normal_email,
                                                                  absl::Time now) const {
  const absl::Status invalid = absl::UnauthenticatedError(
      "claim token is not valid (unknown, already used, or replaced by a newer one)");
  absl::StatusOr<auth::OpaqueToken> token =
      auth::ParseOpaqueToken(claim_token, auth::kClaimTokenPrefix);
  if (!token.ok()) return token.status();
  absl::StatusOr<std::optional<storage::ClaimTokenRecord>> claim =
      store::FindRecord<storage::ClaimTokenRecord>(db_.store(), db_.claim_tokens, token->id);
  if (!claim.ok()) return claim.status();
  if (!claim->has_value() || !auth::OpaqueSecretMatches((*claim)->secret_hash(), token->secret)) {
    return invalid;
  }
  if (auth::TimeFromProto((*claim)->expire_time()) <= now) {
    return absl::UnauthenticatedError("claim token expired; ask the operator for a new one");
  }
  absl::StatusOr<storage::UserRecord> user = users_->Get((*claim)->user_id());
  if (!user.ok()) return user.status();
  if (user->user().state() != v1::USER_STATE_PENDING_CLAIM || user->claim_token_id() != token->id) {
    return invalid;
  }
  if (user->user().email() != normal_email) {
    return absl::PermissionDeniedError(
        "this claim token was issued for another email; use the email of your legacy account");
  }
  return user;
}

void LegacyImport::StageConsumeClaimToken(store::WriteBatch* batch,
                                          storage::UserRecord* user) const {
  if (!user->claim_token_id().empty()) batch->Delete(db_.claim_tokens, user->claim_token_id());
  user->clear_claim_token_id();
}

}  // namespace bitcontent::accounts
