#include "services/accounts/account_flows.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/hash.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/shown_text.h"
#include "services/accounts/email.h"
#include "services/accounts/envelope.h"
#include "services/accounts/errors.h"
#include "services/accounts/limits.h"
#include "services/accounts/resource_names.h"
#include "services/accounts/validation.h"

namespace bitcontent::accounts {
namespace {

absl::Status PendingClaimError() {
  return kit::WithReason(absl::FailedPreconditionError(
                             "this account was restored from the legacy service and awaits its "
                             "claim: set a password with the claim token you received"),
                         common::v1::ERROR_REASON_ACCOUNT_PENDING_CLAIM);
}

absl::Status DisabledError() {
  return absl::PermissionDeniedError("this account was disabled by an operator");
}

}  // namespace

absl::Status AccountFlows::ValidateSignUpRequest(const v1::SignUpRequest& request) const {
  if (absl::Status s = ValidateEnvelope(request.password(), "password", options_.client_kdf_min);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidatePublicKey(request.public_key(), "public_key"); !s.ok()) return s;
  if (absl::Status s = ValidateWrappedKey(request.wrapped_private_key(), "wrapped_private_key");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateKey32(request.recovery_auth_key(), "recovery_auth_key"); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateDevice(request.device(), "device"); !s.ok()) return s;
  return ValidateRequestId(request.request_id(), "request_id");
}

bool AccountFlows::IsOperator(absl::string_view normal_email) const {
  return options_.operator_emails.contains(normal_email);
}

absl::Status AccountFlows::Commit(store::WriteBatch* batch) {
  if (absl::Status s = parts_.db->store().Write(batch, {.sync = true}); !s.ok()) return s;
  // Wakes the publisher; harmless when the batch revoked nothing.
  parts_.outbox->Notify();
  return absl::OkStatus();
}

absl::StatusOr<AccountFlows::NewCredentials> AccountFlows::HashCredentials(
    absl::string_view auth_key, absl::string_view recovery_auth_key) const {
  absl::StatusOr<std::string> hash = parts_.hasher->Hash(auth_key);
  if (!hash.ok()) return hash.status();
  return NewCredentials{.auth_key_hash = std::move(*hash),
                        .recovery_auth_key_hash = crypto::Blake2b256(recovery_auth_key)};
}

absl::StatusOr<v1::AuthTokens> AccountFlows::RenewSession(const storage::UserRecord& user,
                                                          absl::string_view session_id,
                                                          absl::string_view ip, absl::Time now) {
  store::WriteBatch batch;
  absl::StatusOr<IssuedSession> issued =
      parts_.sessions->StageRotate(&batch, UserStore::IdOf(user), session_id, ip, now);
  if (absl::IsNotFound(issued.status())) {
    return absl::FailedPreconditionError(
        "the session this request opened has been signed out since; log in again");
  }
  if (!issued.ok()) return issued.status();
  if (absl::Status s = Commit(&batch); !s.ok()) return s;
  return parts_.issuer->AuthTokensFor(user, *issued, now);
}

absl::StatusOr<v1::SignUpResponse> AccountFlows::RetryCreate(const storage::UserRecord& found,
                                                             absl::string_view fingerprint,
                                                             absl::string_view auth_key,
                                                             absl::string_view ip, absl::Time now) {
  if (found.create_request().fingerprint() != fingerprint) {
    return kit::WithReason(kit::FieldError("request_id", "was already used with different values"),
                           common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
  }
  // The retry must prove the same password, or anyone who saw the request id could
  // take the new session.
  if (!parts_.hasher->Verify(found.auth_key_hash(), auth_key)) return WrongCredentialsError();
  const std::string user_id = UserStore::IdOf(found);
  absl::MutexLock lock(&parts_.locks->ForUser(user_id));
  absl::StatusOr<storage::UserRecord> user = parts_.users->Get(user_id);
  if (!user.ok()) return user.status();
  absl::StatusOr<v1::AuthTokens> tokens =
      RenewSession(*user, user->create_request().session_id(), ip, now);
  if (!tokens.ok()) return tokens.status();
  v1::SignUpResponse response;
  *response.mutable_user() = user->user();
  *response.mutable_tokens() = std::move(*tokens);
  return response;
}

absl::StatusOr<v1::SignUpResponse> AccountFlows::SignUp(const v1::SignUpRequest& request,
                                                        absl::string_view ip, absl::Time now) {
  absl::StatusOr<std::string> email = NormalizeNewEmail(request.email());
  if (!email.ok()) return email.status();
  if (absl::Status s = ValidateSignUpRequest(request); !s.ok()) return s;
  const v1::KeyBundle bundle =
      KeyBundleOf(request.password(), request.public_key(), request.wrapped_private_key());
  const std::string fingerprint = EnvelopeFingerprint(*email, bundle, request.device());
  absl::StatusOr<NewCredentials> credentials =
      HashCredentials(request.password().auth_key(), request.recovery_auth_key());
  if (!credentials.ok()) return credentials.status();

  storage::UserRecord record;
  IssuedSession issued;
  std::optional<storage::UserRecord> existing;
  {
    absl::MutexLock creation(&parts_.locks->Creation());
    absl::StatusOr<std::optional<storage::UserRecord>> found = parts_.users->FindByEmail(*email);
    if (!found.ok()) return found.status();
    existing = std::move(*found);
    if (!existing.has_value()) {
      absl::StatusOr<IssuedSession> created = CreateUser(*email, request, bundle, fingerprint,
                                                         std::move(*credentials), ip, now, &record);
      if (!created.ok()) return created.status();
      issued = std::move(*created);
    }
  }
  if (existing.has_value()) {
    if (request.request_id().empty() ||
        existing->create_request().request_id() != request.request_id()) {
      return absl::AlreadyExistsError(
          "an account with this email already exists; log in, or recover it with its "
          "recovery key");
    }
    return RetryCreate(*existing, fingerprint, request.password().auth_key(), ip, now);
  }
  v1::SignUpResponse response;
  *response.mutable_user() = record.user();
  *response.mutable_tokens() = parts_.issuer->AuthTokensFor(record, issued, now);
  return response;
}

absl::StatusOr<IssuedSession> AccountFlows::CreateUser(
    absl::string_view email, const v1::SignUpRequest& request, const v1::KeyBundle& bundle,
    absl::string_view fingerprint, NewCredentials credentials, absl::string_view ip, absl::Time now,
    storage::UserRecord* record) {
  const std::string user_id = ids::NewId();
  v1::User& user = *record->mutable_user();
  user.set_name(UserName(user_id));
  user.set_email(std::string(email));
  user.set_state(v1::USER_STATE_ACTIVE);
  user.set_operator_(IsOperator(email));
  user.set_public_key(request.public_key());
  *user.mutable_create_time() = auth::ProtoFromTime(now);
  *record->mutable_key_bundle() = bundle;
  record->set_auth_key_hash(std::move(credentials.auth_key_hash));
  record->set_recovery_auth_key_hash(std::move(credentials.recovery_auth_key_hash));

  // The member lock is not needed: nobody else knows the new id yet.
  store::WriteBatch batch;
  absl::StatusOr<IssuedSession> opened =
      parts_.sessions->StageOpen(&batch, user_id, request.device(), ip, now);
  if (!opened.ok()) return opened.status();
  storage::IdempotentRequest& create = *record->mutable_create_request();
  create.set_request_id(request.request_id());
  create.set_fingerprint(std::string(fingerprint));
  create.set_session_id(opened->session.session_id());
  *create.mutable_time() = auth::ProtoFromTime(now);
  parts_.users->StageCreate(&batch, *record);
  if (absl::Status s = Commit(&batch); !s.ok()) return s;
  return opened;
}

absl::StatusOr<v1::PreLoginResponse> AccountFlows::PreLogin(
    const v1::PreLoginRequest& request) const {
  absl::StatusOr<std::string> email = NormalizeEmail(request.email());
  if (!email.ok()) return email.status();
  absl::StatusOr<std::optional<storage::UserRecord>> found = parts_.users->FindByEmail(*email);
  if (!found.ok()) return found.status();
  v1::PreLoginResponse response;
  if (found->has_value() && !(*found)->key_bundle().salt().empty()) {
    response.set_salt((*found)->key_bundle().salt());
    *response.mutable_kdf_params() = (*found)->key_bundle().kdf_params();
    return response;
  }
  // Unknown (or not yet claimed): a salt that looks and behaves like a real one.
  response.set_salt(parts_.fake_salts->For(*email));
  response.mutable_kdf_params()->set_algorithm(v1::KDF_ALGORITHM_ARGON2ID13);
  response.mutable_kdf_params()->set_ops_limit(options_.client_kdf_min.ops_limit);
  response.mutable_kdf_params()->set_mem_limit_bytes(options_.client_kdf_min.mem_limit_bytes);
  return response;
}

absl::StatusOr<v1::LoginResponse> AccountFlows::Login(const v1::LoginRequest& request,
                                                      absl::string_view ip, absl::Time now) {
  absl::StatusOr<std::string> email = NormalizeEmail(request.email());
  if (!email.ok()) return email.status();
  if (absl::Status s = ValidateKey32(request.auth_key(), "auth_key"); !s.ok()) return s;
  if (absl::Status s = ValidateDevice(request.device(), "device"); !s.ok()) return s;
  absl::StatusOr<std::optional<storage::UserRecord>> found = parts_.users->FindByEmail(*email);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    parts_.hasher->VerifyAgainstDummy(request.auth_key());
    return WrongCredentialsError();
  }
  const storage::UserRecord& known = **found;
  if (known.user().state() == v1::USER_STATE_PENDING_CLAIM) {
    parts_.hasher->VerifyAgainstDummy(request.auth_key());
    return PendingClaimError();
  }
  if (!parts_.hasher->Verify(known.auth_key_hash(), request.auth_key())) {
    return WrongCredentialsError();
  }
  if (known.user().state() == v1::USER_STATE_DISABLED) return DisabledError();
  // Move the stored hash to the configured parameters while the key is at hand.
  std::optional<std::string> rehashed;
  if (parts_.hasher->NeedsRehash(known.auth_key_hash())) {
    absl::StatusOr<std::string> hash = parts_.hasher->Hash(request.auth_key());
    if (hash.ok()) rehashed = std::move(*hash);
  }

  const std::string user_id = UserStore::IdOf(known);
  absl::MutexLock lock(&parts_.locks->ForUser(user_id));
  absl::StatusOr<storage::UserRecord> user = parts_.users->Get(user_id);
  if (!user.ok()) return user.status();
  if (user->auth_key_hash() != known.auth_key_hash()) {
    return absl::AbortedError("the password changed while logging in; try again");
  }
  if (user->user().state() != v1::USER_STATE_ACTIVE) return DisabledError();
  store::WriteBatch batch;
  absl::StatusOr<IssuedSession> issued =
      parts_.sessions->StageOpen(&batch, user_id, request.device(), ip, now);
  if (!issued.ok()) return issued.status();
  const bool operator_role = IsOperator(user->user().email());
  if (rehashed.has_value() || user->user().operator_() != operator_role) {
    if (rehashed.has_value()) user->set_auth_key_hash(std::move(*rehashed));
    user->mutable_user()->set_operator_(operator_role);
    parts_.users->StageUpdate(&batch, *user);
  }
  if (absl::Status s = Commit(&batch); !s.ok()) return s;
  v1::LoginResponse response;
  *response.mutable_user() = user->user();
  *response.mutable_tokens() = parts_.issuer->AuthTokensFor(*user, *issued, now);
  *response.mutable_key_bundle() = user->key_bundle();
  return response;
}

absl::StatusOr<v1::RefreshResponse> AccountFlows::Refresh(const v1::RefreshRequest& request,
                                                          absl::string_view ip, absl::Time now) {
  absl::StatusOr<IssuedSession> issued = parts_.sessions->Refresh(request.refresh_token(), ip, now);
  if (!issued.ok()) return issued.status();
  absl::StatusOr<storage::UserRecord> user = parts_.users->Get(issued->session.user_id());
  if (!user.ok()) return user.status();
  v1::RefreshResponse response;
  *response.mutable_tokens() = parts_.issuer->AuthTokensFor(*user, *issued, now);
  return response;
}

absl::Status AccountFlows::Logout(absl::string_view user_id, absl::string_view session_id,
                                  absl::Time now) {
  absl::StatusOr<storage::SessionRecord> revoked =
      parts_.sessions->Revoke(user_id, session_id, now);
  if (absl::IsNotFound(revoked.status())) return absl::OkStatus();
  return revoked.status();
}

absl::StatusOr<v1::KeyBundle> AccountFlows::KeyBundle(absl::string_view user_id) const {
  absl::StatusOr<storage::UserRecord> user = parts_.users->Get(user_id);
  if (!user.ok()) return user.status();
  if (user->user().state() == v1::USER_STATE_PENDING_CLAIM) return PendingClaimError();
  return user->key_bundle();
}

absl::StatusOr<v1::User> AccountFlows::SetUserState(absl::string_view user_id, v1::UserState state,
                                                    absl::string_view reason, absl::Time now) {
  if (state != v1::USER_STATE_ACTIVE && state != v1::USER_STATE_DISABLED) {
    return kit::FieldError("state", "must be USER_STATE_ACTIVE or USER_STATE_DISABLED");
  }
  if (reason.size() > kStateReasonLengthMax) {
    return kit::FieldError("reason",
                           absl::StrCat("is longer than ", kStateReasonLengthMax, " characters"));
  }
  // Kept in the audit log, which operators read in a terminal: one line of plain text.
  if (absl::Status shown =
          kit::CheckShownText({reason.data(), reason.size()}, "reason", kStateReasonLengthMax);
      !shown.ok()) {
    return shown;
  }
  absl::MutexLock lock(&parts_.locks->ForUser(user_id));
  absl::StatusOr<storage::UserRecord> user = parts_.users->Get(user_id);
  if (!user.ok()) return user.status();
  if (user->user().state() == v1::USER_STATE_PENDING_CLAIM) {
    return absl::FailedPreconditionError(absl::StrCat(
        user->user().name(), " awaits its legacy claim; it becomes active when claimed"));
  }
  if (user->user().state() == state) return user->user();
  store::WriteBatch batch;
  if (state == v1::USER_STATE_DISABLED) {
    absl::StatusOr<size_t> revoked =
        parts_.sessions->StageRevokeAll(&batch, user_id, std::nullopt, now);
    if (!revoked.ok()) return revoked.status();
    if (absl::Status s = parts_.api_keys->StageRevokeAll(&batch, user_id, now); !s.ok()) return s;
  }
  user->mutable_user()->set_state(state);
  parts_.users->StageUpdate(&batch, *user);
  if (absl::Status s = Commit(&batch); !s.ok()) return s;
  return user->user();
}

}  // namespace bitcontent::accounts
