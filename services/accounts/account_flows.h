// The credential flows of the accounts service: sign-up, pre-login, login, refresh,
// logout, password change, recovery and legacy claim, plus the operator's enable and
// disable. Each flow validates its input, does its slow Argon2id work outside any lock,
// then re-reads and writes under the member's lock as one synced WriteBatch (member,
// sessions, claim token and revocations together).
//
// Zero knowledge: what is stored is the client's salt, KDF parameters, wrapped master
// key, X25519 public key and wrapped private key (all opaque), the server's Argon2id
// hash of the authentication key and a BLAKE2b hash of the recovery authentication key.
// Nothing stored can decrypt anything.
//
// Idempotency (AIP-155): sign-up, claim, password change and recovery remember their
// request_id with a fingerprint of the request. A retry with the same request_id after
// a lost answer, which must carry the same values (and prove the same new password),
// answers with the same member and session and a fresh pair of tokens; the same
// request_id with other values is INVALID_ARGUMENT (IDEMPOTENCY_KEY_REUSED).
#pragma once

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "libs/crypto/password_kdf.h"
#include "services/accounts/accounts_db.h"
#include "services/accounts/api_key_store.h"
#include "services/accounts/auth_key_hasher.h"
#include "services/accounts/fake_salts.h"
#include "services/accounts/legacy_import.h"
#include "services/accounts/revocation_outbox.h"
#include "services/accounts/session_store.h"
#include "services/accounts/token_issuer.h"
#include "services/accounts/user_locks.h"
#include "services/accounts/user_store.h"

namespace bitcontent::accounts {

struct FlowOptions {
  // Weakest client KDF parameters accepted (and the ones PreLogin shows for unknown
  // emails, so that those look like a typical member's).
  crypto::KdfParams client_kdf_min = {};
  // Normalised emails that hold the operator role.
  absl::flat_hash_set<std::string> operator_emails = {};
};

// The parts the flows work with; all must outlive the flows.
struct FlowParts {
  const AccountsDb* db = nullptr;
  UserLocks* locks = nullptr;
  const UserStore* users = nullptr;
  SessionStore* sessions = nullptr;
  ApiKeyStore* api_keys = nullptr;
  const LegacyImport* legacy = nullptr;
  RevocationOutbox* outbox = nullptr;
  const AuthKeyHasher* hasher = nullptr;
  const FakeSalts* fake_salts = nullptr;
  const TokenIssuer* issuer = nullptr;
};

class AccountFlows {
 public:
  AccountFlows(FlowParts parts, FlowOptions options)
      : parts_(parts), options_(std::move(options)) {}

  // Creates an active member and their first session. ALREADY_EXISTS for a taken email.
  absl::StatusOr<v1::SignUpResponse> SignUp(const v1::SignUpRequest& request, absl::string_view ip,
                                            absl::Time now);

  // The salt and KDF parameters of an email; a stable fake salt for unknown emails.
  absl::StatusOr<v1::PreLoginResponse> PreLogin(const v1::PreLoginRequest& request) const;

  // Opens a session. UNAUTHENTICATED "email or password is incorrect" for an unknown
  // email and a wrong key alike (same Argon2id work in both cases);
  // FAILED_PRECONDITION (ACCOUNT_PENDING_CLAIM) for an unclaimed legacy account;
  // PERMISSION_DENIED for a disabled member with the right password.
  absl::StatusOr<v1::LoginResponse> Login(const v1::LoginRequest& request, absl::string_view ip,
                                          absl::Time now);

  // Rotates a refresh token (see SessionStore::Refresh) and mints an access token.
  absl::StatusOr<v1::RefreshResponse> Refresh(const v1::RefreshRequest& request,
                                              absl::string_view ip, absl::Time now);

  // Ends the session; ending an ended session succeeds.
  absl::Status Logout(absl::string_view user_id, absl::string_view session_id, absl::Time now);

  // Checks the current authentication key, stores the new envelope and revokes every
  // session but `session_id`, whose tokens are renewed.
  absl::StatusOr<v1::ChangePasswordResponse> ChangePassword(
      absl::string_view user_id, absl::string_view session_id,
      const v1::ChangePasswordRequest& request, absl::string_view ip, absl::Time now);

  // Proves the recovery key, stores the new envelope, revokes every session and opens
  // a new one.
  absl::StatusOr<v1::RecoverAccountResponse> Recover(const v1::RecoverAccountRequest& request,
                                                     absl::string_view ip, absl::Time now);

  // Activates a pending legacy member with their claim token, exactly like a sign-up.
  absl::StatusOr<v1::ClaimLegacyAccountResponse> Claim(const v1::ClaimLegacyAccountRequest& request,
                                                       absl::string_view ip, absl::Time now);

  // The member's wrapped keys. FAILED_PRECONDITION while a legacy claim is pending.
  absl::StatusOr<v1::KeyBundle> KeyBundle(absl::string_view user_id) const;

  // Enables or disables a member; disabling revokes every session and API key.
  absl::StatusOr<v1::User> SetUserState(absl::string_view user_id, v1::UserState state,
                                        absl::string_view reason, absl::Time now);

 private:
  // The credentials of a new envelope, hashed (slow: call outside locks).
  struct NewCredentials {
    std::string auth_key_hash = {};
    std::string recovery_auth_key_hash = {};
  };
  absl::StatusOr<NewCredentials> HashCredentials(absl::string_view auth_key,
                                                 absl::string_view recovery_auth_key) const;
  // Stages and commits a new active member and their first session, filling `record`.
  // Requires the creation lock, with the email checked free.
  absl::StatusOr<IssuedSession> CreateUser(absl::string_view email,
                                           const v1::SignUpRequest& request,
                                           const v1::KeyBundle& bundle,
                                           absl::string_view fingerprint,
                                           NewCredentials credentials, absl::string_view ip,
                                           absl::Time now, storage::UserRecord* record);
  // The retry of a sign-up or claim whose answer was lost.
  absl::StatusOr<v1::SignUpResponse> RetryCreate(const storage::UserRecord& found,
                                                 absl::string_view fingerprint,
                                                 absl::string_view auth_key, absl::string_view ip,
                                                 absl::Time now);
  // Renews the tokens of `session_id` in one commit; FAILED_PRECONDITION when the
  // session is gone.
  absl::StatusOr<v1::AuthTokens> RenewSession(const storage::UserRecord& user,
                                              absl::string_view session_id, absl::string_view ip,
                                              absl::Time now);
  // Checks everything a sign-up (or claim) sets, except the email.
  absl::Status ValidateSignUpRequest(const v1::SignUpRequest& request) const;
  absl::Status Commit(store::WriteBatch* batch);
  bool IsOperator(absl::string_view normal_email) const;

  const FlowParts parts_;
  const FlowOptions options_;
};

}  // namespace bitcontent::accounts
