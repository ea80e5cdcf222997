// AccountFlows: the flows that replace a member's password-derived values: password
// change, recovery with the recovery key, and the claim of an imported legacy account.
#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/random.h"
#include "libs/kit/error_details.h"
#include "services/accounts/account_flows.h"
#include "services/accounts/email.h"
#include "services/accounts/envelope.h"
#include "services/accounts/validation.h"

namespace bitcontent::accounts {
namespace {

absl::Status WrongRecoveryError() {
  return absl::UnauthenticatedError("email or recovery key is incorrect");
}

// Stages `bundle` and the new hashes as the member's credentials, with the request that
// set them.
void SetCredentials(storage::UserRecord* user, const v1::KeyBundle& bundle,
                    std::string auth_key_hash) {
  *user->mutable_key_bundle() = bundle;
  user->set_auth_key_hash(std::move(auth_key_hash));
}

storage::IdempotentRequest RequestRecord(absl::string_view request_id,
                                         absl::string_view fingerprint,
                                         absl::string_view session_id, absl::Time now) {
  storage::IdempotentRequest record;
  record.set_request_id(std::string(request_id));
  record.set_fingerprint(std::string(fingerprint));
  record.set_session_id(std::string(session_id));
  *record.mutable_time() = auth::ProtoFromTime(now);
  return record;
}

// True when `request_id` names the member's last password change or recovery.
bool IsRetryOfChange(const storage::UserRecord& user, absl::string_view request_id) {
  return !request_id.empty() && user.credential_change_request().request_id() == request_id;
}

}  // namespace

absl::StatusOr<v1::ChangePasswordResponse> AccountFlows::ChangePassword(
    absl::string_view user_id, absl::string_view session_id,
    const v1::ChangePasswordRequest& request, absl::string_view ip, absl::Time now) {
  if (absl::Status s = ValidateKey32(request.current_auth_key(), "current_auth_key"); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateEnvelope(request.new_password(), "new_password", options_.client_kdf_min);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateRequestId(request.request_id(), "request_id"); !s.ok()) return s;
  absl::StatusOr<storage::UserRecord> before = parts_.users->Get(user_id);
  if (!before.ok()) return before.status();
  const v1::KeyBundle bundle =
      KeyBundleOf(request.new_password(), before->key_bundle().public_key(),
                  before->key_bundle().wrapped_private_key());
  const std::string fingerprint = EnvelopeFingerprint(user_id, bundle, v1::DeviceInfo());
  const std::string& new_auth_key = request.new_password().auth_key();

  if (IsRetryOfChange(*before, request.request_id())) {
    if (before->credential_change_request().fingerprint() != fingerprint ||
        !parts_.hasher->Verify(before->auth_key_hash(), new_auth_key)) {
      return kit::WithReason(
          kit::FieldError("request_id", "was already used with different values"),
          common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
    }
    absl::MutexLock lock(&parts_.locks->ForUser(user_id));
    absl::StatusOr<v1::AuthTokens> tokens = RenewSession(*before, session_id, ip, now);
    if (!tokens.ok()) return tokens.status();
    v1::ChangePasswordResponse response;
    *response.mutable_tokens() = std::move(*tokens);
    return response;
  }
  if (!parts_.hasher->Verify(before->auth_key_hash(), request.current_auth_key())) {
    return absl::PermissionDeniedError("the current password is not correct");
  }
  absl::StatusOr<std::string> new_hash = parts_.hasher->Hash(new_auth_key);
  if (!new_hash.ok()) return new_hash.status();

  absl::MutexLock lock(&parts_.locks->ForUser(user_id));
  absl::StatusOr<storage::UserRecord> user = parts_.users->Get(user_id);
  if (!user.ok()) return user.status();
  if (user->auth_key_hash() != before->auth_key_hash()) {
    return absl::AbortedError("the password was changed meanwhile by another request; try again");
  }
  SetCredentials(&*user, bundle, std::move(*new_hash));
  *user->mutable_credential_change_request() =
      RequestRecord(request.request_id(), fingerprint, session_id, now);
  store::WriteBatch batch;
  absl::StatusOr<size_t> revoked =
      parts_.sessions->StageRevokeAll(&batch, user_id, session_id, now);
  if (!revoked.ok()) return revoked.status();
  absl::StatusOr<IssuedSession> issued =
      parts_.sessions->StageRotate(&batch, user_id, session_id, ip, now);
  if (!issued.ok()) return issued.status();
  parts_.users->StageUpdate(&batch, *user);
  if (absl::Status s = Commit(&batch); !s.ok()) return s;
  v1::ChangePasswordResponse response;
  *response.mutable_tokens() = parts_.issuer->AuthTokensFor(*user, *issued, now);
  return response;
}

absl::StatusOr<v1::RecoverAccountResponse> AccountFlows::Recover(
    const v1::RecoverAccountRequest& request, absl::string_view ip, absl::Time now) {
  absl::StatusOr<std::string> email = NormalizeEmail(request.email());
  if (!email.ok()) return email.status();
  if (absl::Status s = ValidateKey32(request.recovery_auth_key(), "recovery_auth_key"); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateEnvelope(request.new_password(), "new_password", options_.client_kdf_min);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateDevice(request.device(), "device"); !s.ok()) return s;
  if (absl::Status s = ValidateRequestId(request.request_id(), "request_id"); !s.ok()) return s;
  absl::StatusOr<std::optional<storage::UserRecord>> found = parts_.users->FindByEmail(*email);
  if (!found.ok()) return found.status();
  const std::string presented = crypto::Blake2b256(request.recovery_auth_key());
  // An unknown email costs the same comparison as a known one.
  const std::string stored = found->has_value() ? (*found)->recovery_auth_key_hash()
                                                : crypto::RandomBytes(presented.size());
  if (!found->has_value() || !crypto::ConstantTimeEquals(stored, presented)) {
    return WrongRecoveryError();
  }
  const storage::UserRecord& known = **found;
  if (known.user().state() == v1::USER_STATE_DISABLED) {
    return absl::PermissionDeniedError("this account was disabled by an operator");
  }
  const std::string user_id = UserStore::IdOf(known);
  const v1::KeyBundle bundle = KeyBundleOf(request.new_password(), known.key_bundle().public_key(),
                                           known.key_bundle().wrapped_private_key());
  const std::string fingerprint = EnvelopeFingerprint(*email, bundle, request.device());
  const std::string& new_auth_key = request.new_password().auth_key();

  v1::RecoverAccountResponse response;
  if (IsRetryOfChange(known, request.request_id())) {
    if (known.credential_change_request().fingerprint() != fingerprint ||
        !parts_.hasher->Verify(known.auth_key_hash(), new_auth_key)) {
      return kit::WithReason(
          kit::FieldError("request_id", "was already used with different values"),
          common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
    }
    absl::MutexLock lock(&parts_.locks->ForUser(user_id));
    absl::StatusOr<v1::AuthTokens> tokens =
        RenewSession(known, known.credential_change_request().session_id(), ip, now);
    if (!tokens.ok()) return tokens.status();
    *response.mutable_user() = known.user();
    *response.mutable_tokens() = std::move(*tokens);
    *response.mutable_key_bundle() = known.key_bundle();
    return response;
  }
  absl::StatusOr<std::string> new_hash = parts_.hasher->Hash(new_auth_key);
  if (!new_hash.ok()) return new_hash.status();

  absl::MutexLock lock(&parts_.locks->ForUser(user_id));
  absl::StatusOr<storage::UserRecord> user = parts_.users->Get(user_id);
  if (!user.ok()) return user.status();
  if (user->user().state() != v1::USER_STATE_ACTIVE) {
    return absl::FailedPreconditionError("the account is not active; it cannot be recovered");
  }
  store::WriteBatch batch;
  absl::StatusOr<size_t> revoked =
      parts_.sessions->StageRevokeAll(&batch, user_id, std::nullopt, now);
  if (!revoked.ok()) return revoked.status();
  absl::StatusOr<IssuedSession> issued =
      parts_.sessions->StageOpen(&batch, user_id, request.device(), ip, now);
  if (!issued.ok()) return issued.status();
  SetCredentials(&*user, bundle, std::move(*new_hash));
  *user->mutable_credential_change_request() =
      RequestRecord(request.request_id(), fingerprint, issued->session.session_id(), now);
  parts_.users->StageUpdate(&batch, *user);
  if (absl::Status s = Commit(&batch); !s.ok()) return s;
  *response.mutable_user() = user->user();
  *response.mutable_tokens() = parts_.issuer->AuthTokensFor(*user, *issued, now);
  *response.mutable_key_bundle() = user->key_bundle();
  return response;
}

absl::StatusOr<v1::ClaimLegacyAccountResponse> AccountFlows::Claim(
    const v1::ClaimLegacyAccountRequest& request, absl::string_view ip, absl::Time now) {
  // A claim sets exactly what a sign-up sets; validate it as one.
  v1::SignUpRequest as_sign_up;
  as_sign_up.set_email(request.email());
  *as_sign_up.mutable_password() = request.password();
  as_sign_up.set_public_key(request.public_key());
  as_sign_up.set_wrapped_private_key(request.wrapped_private_key());
  as_sign_up.set_recovery_auth_key(request.recovery_auth_key());
  *as_sign_up.mutable_device() = request.device();
  as_sign_up.set_request_id(request.request_id());
  absl::StatusOr<std::string> email = NormalizeEmail(request.email());
  if (!email.ok()) return email.status();
  if (absl::Status s = ValidateSignUpRequest(as_sign_up); !s.ok()) return s;
  const v1::KeyBundle bundle =
      KeyBundleOf(request.password(), request.public_key(), request.wrapped_private_key());
  const std::string fingerprint = EnvelopeFingerprint(*email, bundle, request.device());

  if (!request.request_id().empty()) {
    absl::StatusOr<std::optional<storage::UserRecord>> found = parts_.users->FindByEmail(*email);
    if (!found.ok()) return found.status();
    if (found->has_value() && (*found)->user().state() == v1::USER_STATE_ACTIVE &&
        (*found)->create_request().request_id() == request.request_id()) {
      absl::StatusOr<v1::SignUpResponse> retried =
          RetryCreate(**found, fingerprint, request.password().auth_key(), ip, now);
      if (!retried.ok()) return retried.status();
      v1::ClaimLegacyAccountResponse response;
      *response.mutable_user() = std::move(*retried->mutable_user());
      *response.mutable_tokens() = std::move(*retried->mutable_tokens());
      return response;
    }
  }
  absl::StatusOr<storage::UserRecord> pending =
      parts_.legacy->CheckClaimToken(request.claim_token(), *email, now);
  if (!pending.ok()) return pending.status();
  absl::StatusOr<NewCredentials> credentials =
      HashCredentials(request.password().auth_key(), request.recovery_auth_key());
  if (!credentials.ok()) return credentials.status();

  const std::string user_id = UserStore::IdOf(*pending);
  absl::MutexLock lock(&parts_.locks->ForUser(user_id));
  absl::StatusOr<storage::UserRecord> user = parts_.users->Get(user_id);
  if (!user.ok()) return user.status();
  if (user->user().state() != v1::USER_STATE_PENDING_CLAIM ||
      user->claim_token_id() != pending->claim_token_id()) {
    return absl::UnauthenticatedError("claim token is not valid (already used)");
  }
  v1::User& view = *user->mutable_user();
  view.set_state(v1::USER_STATE_ACTIVE);
  view.set_public_key(request.public_key());
  view.set_operator_(IsOperator(*email));
  *view.mutable_claim_time() = auth::ProtoFromTime(now);
  SetCredentials(&*user, bundle, std::move(credentials->auth_key_hash));
  user->set_recovery_auth_key_hash(std::move(credentials->recovery_auth_key_hash));
  store::WriteBatch batch;
  absl::StatusOr<IssuedSession> issued =
      parts_.sessions->StageOpen(&batch, user_id, request.device(), ip, now);
  if (!issued.ok()) return issued.status();
  *user->mutable_create_request() =
      RequestRecord(request.request_id(), fingerprint, issued->session.session_id(), now);
  parts_.legacy->StageConsumeClaimToken(&batch, &*user);
  parts_.users->StageUpdate(&batch, *user);
  if (absl::Status s = Commit(&batch); !s.ok()) return s;
  v1::ClaimLegacyAccountResponse response;
  *response.mutable_user() = user->user();
  *response.mutable_tokens() = parts_.issuer->AuthTokensFor(*user, *issued, now);
  return response;
}

}  // namespace bitcontent::accounts
