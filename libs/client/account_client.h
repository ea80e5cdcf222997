// The client engine for accounts: sign-up, login, logout, password change, recovery,
// sessions and API keys, over the gateway's REST API, keeping credentials in a
// CredentialStore. All key derivation happens here, on the client: the password, the
// key-encryption key and the master key never leave it (DESIGN.md, "Trust model").
// Access tokens are refreshed on demand and the rotated refresh token saved at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "bitcontent/client/v1/credentials.pb.h"
#include "libs/client/api_client.h"
#include "libs/client/credential_store.h"
#include "libs/crypto/password_kdf.h"
#include "libs/crypto/sealed_box.h"

namespace bitcontent::client {

struct AccountClientOptions {
  std::string server = {};      // gateway REST address, "http://host:port"
  std::string config_dir = {};  // where credentials live
  // Argon2id parameters for new passwords (sign-up, change, recovery). Login always
  // uses the parameters the account was created with.
  crypto::KdfParams kdf_params = {};
  std::string device_name = {};  // shown in the sessions list
  absl::Duration timeout = absl::Seconds(30);
};

// The shortest new password the client takes (sign-up, claim, change, recovery). The
// server never sees passwords, so the rule lives here, in every client.
inline constexpr size_t kPasswordLengthMin = 8;
// InvalidArgument, saying why, for a new password shorter than kPasswordLengthMin.
absl::Status CheckNewPassword(absl::string_view password);

class AccountClient {
 public:
  static absl::StatusOr<std::unique_ptr<AccountClient>> Create(AccountClientOptions options);

  absl::StatusOr<client::v1::Credentials> SignUp(absl::string_view email,
                                                 absl::string_view password);
  // Activates an imported legacy account with the one-time token its operator sent:
  // creates the account's keys under `password`, as sign-up does, and logs in.
  absl::StatusOr<client::v1::Credentials> Claim(absl::string_view email,
                                                absl::string_view claim_token,
                                                absl::string_view password);
  absl::StatusOr<client::v1::Credentials> Login(absl::string_view email,
                                                absl::string_view password);
  // Ends this device's session on the server it logged in to (whatever server this
  // client was made for) and forgets the local credentials; the local credentials are
  // forgotten even when that server cannot be reached.
  absl::Status Logout();
  absl::StatusOr<accounts::v1::User> WhoAmI();
  // Re-wraps the master key under `new_password`; the server revokes every other
  // session of the account.
  absl::Status ChangePassword(absl::string_view current_password, absl::string_view new_password);
  // The recovery key of the logged-in account (its master key, written for people).
  absl::StatusOr<std::string> RecoveryKey();
  // Sets a new password with the recovery key; logs this device in.
  absl::StatusOr<client::v1::Credentials> Recover(absl::string_view email,
                                                  absl::string_view recovery_key,
                                                  absl::string_view new_password);
  absl::StatusOr<std::vector<accounts::v1::Session>> ListSessions();
  absl::Status RevokeSession(absl::string_view session);
  absl::StatusOr<accounts::v1::CreateApiKeyResponse> CreateApiKey(
      const accounts::v1::CreateApiKeyRequest& request);
  absl::StatusOr<std::vector<accounts::v1::ApiKey>> ListApiKeys(bool show_inactive);
  absl::Status RevokeApiKey(absl::string_view api_key);

  // A valid access token, refreshed first when it expires within a minute.
  absl::StatusOr<std::string> AccessToken();
  // The logged-in member, "users/{id}", from the stored credentials (no call).
  absl::StatusOr<std::string> UserName() const;
  // The logged-in member's master key (unwrapped at login, kept with the credentials).
  absl::StatusOr<std::string> MasterKey() const;
  // The logged-in member's X25519 key pair, which shared folder keys are sealed to.
  absl::StatusOr<crypto::BoxKeyPair> BoxKeys() const;
  // Calls the gateway with this device's access token; a refusal of the token is
  // reported as the session having ended, with what to do about it. For the other
  // parts of the client engine (the file tree).
  absl::Status CallAsMember(absl::string_view method, absl::string_view path,
                            const google::protobuf::Message* request,
                            google::protobuf::Message* response);
  const AccountClientOptions& options() const { return options_; }

 private:
  AccountClient(AccountClientOptions options, std::unique_ptr<ApiClient> api)
      : options_(std::move(options)), api_(std::move(api)), store_(options_.config_dir) {}

  accounts::v1::DeviceInfo Device() const;
  // Ends the session saved on this device, unless it is `new_session`, which replaces it.
  void EndReplacedSession(absl::string_view new_session);
  // Saves credentials built from a login-like answer and the unlocked master key, ending
  // the session they replace.
  absl::StatusOr<client::v1::Credentials> Remember(absl::string_view email,
                                                   const accounts::v1::User& user,
                                                   const accounts::v1::AuthTokens& tokens,
                                                   absl::string_view master_key,
                                                   const accounts::v1::KeyBundle& bundle);
  // The stored credentials, refusing ones made for another server.
  absl::StatusOr<client::v1::Credentials> Stored() const;

  const AccountClientOptions options_;
  std::unique_ptr<ApiClient> api_;
  const CredentialStore store_;
};

}  // namespace bitcontent::client
