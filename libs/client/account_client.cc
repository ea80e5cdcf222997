#include "libs/client/account_client.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/client/account_keys.h"
#include "libs/ids/ids.h"

namespace bitcontent::client {
namespace {

using google::protobuf::util::TimeUtil;

// An access token this close to expiry is refreshed before use.
constexpr absl::Duration kRefreshMargin = absl::Minutes(1);

absl::Time ToAbsl(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(timestamp));
}

// The key bundle the server keeps for freshly created keys, as the client remembers it.
accounts::v1::KeyBundle KeyBundleOf(const NewAccount& keys) {
  accounts::v1::KeyBundle bundle;
  bundle.set_salt(keys.password.salt());
  *bundle.mutable_kdf_params() = keys.password.kdf_params();
  bundle.set_wrapped_master_key(keys.password.wrapped_master_key());
  bundle.set_public_key(keys.public_key);
  bundle.set_wrapped_private_key(keys.wrapped_private_key);
  return bundle;
}

}  // namespace

absl::StatusOr<std::unique_ptr<AccountClient>> AccountClient::Create(AccountClientOptions options) {
  absl::StatusOr<std::unique_ptr<ApiClient>> api =
      ApiClient::Connect(options.server, options.timeout);
  if (!api.ok()) return api.status();
  return std::unique_ptr<AccountClient>(new AccountClient(std::move(options), *std::move(api)));
}

accounts::v1::DeviceInfo AccountClient::Device() const {
  accounts::v1::DeviceInfo device;
  device.set_device_id(store_.DeviceId().value_or(""));
  device.set_display_name(options_.device_name);
  device.set_platform("bitcontent-cli/0.1 linux");
  return device;
}

absl::StatusOr<client::v1::Credentials> AccountClient::Stored() const {
  absl::StatusOr<client::v1::Credentials> credentials = store_.Load();
  if (!credentials.ok()) return credentials.status();
  if (credentials->server() != api_->server()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the saved login is for ", credentials->server(), ", not ", api_->server(),
                     "; log in again, or pass --server ", credentials->server()));
  }
  return credentials;
}

void AccountClient::EndReplacedSession(absl::string_view new_session) {
  // A login over a saved one would otherwise leave the old session's tokens working on
  // the server with nobody to use or end them. Best effort: a session already over, or
  // a server that cannot be told, leaves nothing to do here. One on another server is
  // left alone, as the saved login is only ever this server's (Stored).
  absl::StatusOr<client::v1::Credentials> saved = Stored();
  if (!saved.ok() || saved->session().empty() || saved->session() == new_session) return;
  absl::StatusOr<std::string> token = AccessToken();
  if (token.ok()) (void)api_->Call("POST", "/v1/accounts:logout", nullptr, nullptr, *token);
}

absl::StatusOr<client::v1::Credentials> AccountClient::Remember(
    absl::string_view email, const accounts::v1::User& user, const accounts::v1::AuthTokens& tokens,
    absl::string_view master_key, const accounts::v1::KeyBundle& bundle) {
  EndReplacedSession(tokens.session());
  client::v1::Credentials credentials;
  credentials.set_server(api_->server());
  credentials.set_email(std::string(email));
  credentials.set_user(user.name());
  credentials.set_device_id(Device().device_id());
  credentials.set_session(tokens.session());
  credentials.set_access_token(tokens.access_token());
  *credentials.mutable_access_token_expire_time() = tokens.access_token_expire_time();
  credentials.set_refresh_token(tokens.refresh_token());
  *credentials.mutable_refresh_token_expire_time() = tokens.refresh_token_expire_time();
  credentials.set_master_key(std::string(master_key));
  *credentials.mutable_key_bundle() = bundle;
  if (absl::Status saved = store_.Save(credentials); !saved.ok()) return saved;
  return credentials;
}

absl::Status CheckNewPassword(absl::string_view password) {
  if (password.size() >= kPasswordLengthMin) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("a password needs at least ", kPasswordLengthMin,
                   " characters; a few words make one easy to remember and hard to guess"));
}

absl::StatusOr<client::v1::Credentials> AccountClient::SignUp(absl::string_view email,
                                                              absl::string_view password) {
  if (absl::Status strong = CheckNewPassword(password); !strong.ok()) return strong;
  absl::StatusOr<NewAccount> keys = CreateAccountKeys(password, options_.kdf_params);
  if (!keys.ok()) return keys.status();
  accounts::v1::SignUpRequest request;
  request.set_email(std::string(email));
  *request.mutable_password() = keys->password;
  request.set_public_key(keys->public_key);
  request.set_wrapped_private_key(keys->wrapped_private_key);
  request.set_recovery_auth_key(keys->recovery_auth_key);
  *request.mutable_device() = Device();
  request.set_request_id(ids::NewRandomId());
  accounts::v1::SignUpResponse response;
  if (absl::Status status = api_->Call("POST", "/v1/accounts:signUp", &request, &response);
      !status.ok()) {
    return status;
  }
  return Remember(response.user().email(), response.user(), response.tokens(), keys->master_key,
                  KeyBundleOf(*keys));
}

absl::StatusOr<client::v1::Credentials> AccountClient::Claim(absl::string_view email,
                                                             absl::string_view claim_token,
                                                             absl::string_view password) {
  if (absl::Status strong = CheckNewPassword(password); !strong.ok()) return strong;
  absl::StatusOr<NewAccount> keys = CreateAccountKeys(password, options_.kdf_params);
  if (!keys.ok()) return keys.status();
  accounts::v1::ClaimLegacyAccountRequest request;
  request.set_claim_token(std::string(claim_token));
  request.set_email(std::string(email));
  *request.mutable_password() = keys->password;
  request.set_public_key(keys->public_key);
  request.set_wrapped_private_key(keys->wrapped_private_key);
  request.set_recovery_auth_key(keys->recovery_auth_key);
  *request.mutable_device() = Device();
  request.set_request_id(ids::NewRandomId());
  accounts::v1::ClaimLegacyAccountResponse response;
  if (absl::Status status = api_->Call("POST", "/v1/accounts:claim", &request, &response);
      !status.ok()) {
    return status;
  }
  return Remember(response.user().email(), response.user(), response.tokens(), keys->master_key,
                  KeyBundleOf(*keys));
}

absl::StatusOr<client::v1::Credentials> AccountClient::Login(absl::string_view email,
                                                             absl::string_view password) {
  accounts::v1::PreLoginRequest pre_login;
  pre_login.set_email(std::string(email));
  accounts::v1::PreLoginResponse parameters;
  if (absl::Status status = api_->Call("POST", "/v1/accounts:preLogin", &pre_login, &parameters);
      !status.ok()) {
    return status;
  }
  absl::StatusOr<PasswordKeys> keys =
      DerivePasswordKeys(password, parameters.salt(), FromProto(parameters.kdf_params()));
  if (!keys.ok()) return keys.status();
  accounts::v1::LoginRequest request;
  request.set_email(std::string(email));
  request.set_auth_key(keys->auth_key);
  *request.mutable_device() = Device();
  accounts::v1::LoginResponse response;
  if (absl::Status status = api_->Call("POST", "/v1/accounts:login", &request, &response);
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::string> master =
      UnwrapMasterKey(response.key_bundle(), keys->key_encryption_key);
  if (!master.ok()) return master.status();
  return Remember(response.user().email(), response.user(), response.tokens(), *master,
                  response.key_bundle());
}

absl::StatusOr<std::string> AccountClient::AccessToken() {
  absl::StatusOr<client::v1::Credentials> credentials = Stored();
  if (!credentials.ok()) return credentials.status();
  if (ToAbsl(credentials->access_token_expire_time()) > absl::Now() + kRefreshMargin) {
    return credentials->access_token();
  }
  accounts::v1::RefreshRequest request;
  request.set_refresh_token(credentials->refresh_token());
  accounts::v1::RefreshResponse response;
  if (absl::Status status = api_->Call("POST", "/v1/accounts:refresh", &request, &response);
      !status.ok()) {
    if (status.code() == absl::StatusCode::kUnauthenticated) {
      return absl::UnauthenticatedError(absl::StrCat("this device's session has ended (",
                                                     status.message(),
                                                     "); run `bitcontent login` again"));
    }
    return status;
  }
  credentials->set_access_token(response.tokens().access_token());
  *credentials->mutable_access_token_expire_time() = response.tokens().access_token_expire_time();
  credentials->set_refresh_token(response.tokens().refresh_token());
  *credentials->mutable_refresh_token_expire_time() = response.tokens().refresh_token_expire_time();
  if (absl::Status saved = store_.Save(*credentials); !saved.ok()) return saved;
  return credentials->access_token();
}

absl::Status AccountClient::CallAsMember(absl::string_view method, absl::string_view path,
                                         const google::protobuf::Message* request,
                                         google::protobuf::Message* response) {
  absl::StatusOr<std::string> token = AccessToken();
  if (!token.ok()) return token.status();
  absl::Status status = api_->Call(method, path, request, response, *token);
  if (status.code() == absl::StatusCode::kUnauthenticated) {
    // The stored token was accepted locally but not by the server: the session was
    // ended elsewhere (logout, password change, recovery, revoke).
    return absl::UnauthenticatedError(absl::StrCat("this device is no longer logged in (",
                                                   status.message(),
                                                   "); run `bitcontent login EMAIL` again"));
  }
  return status;
}

absl::StatusOr<std::string> AccountClient::UserName() const {
  absl::StatusOr<client::v1::Credentials> credentials = Stored();
  if (!credentials.ok()) return credentials.status();
  return credentials->user();
}

absl::StatusOr<std::string> AccountClient::MasterKey() const {
  absl::StatusOr<client::v1::Credentials> credentials = Stored();
  if (!credentials.ok()) return credentials.status();
  return credentials->master_key();
}

absl::StatusOr<crypto::BoxKeyPair> AccountClient::BoxKeys() const {
  absl::StatusOr<client::v1::Credentials> credentials = Stored();
  if (!credentials.ok()) return credentials.status();
  return UnwrapBoxKeys(credentials->key_bundle(), credentials->master_key());
}

absl::Status AccountClient::Logout() {
  // The session ends on the server it was made on, whatever server this client names:
  // forgetting it here while it stays alive there would leave its tokens working.
  if (absl::StatusOr<client::v1::Credentials> saved = store_.Load();
      saved.ok() && saved->server() != api_->server()) {
    AccountClientOptions home = options_;
    home.server = saved->server();
    if (absl::StatusOr<std::unique_ptr<AccountClient>> there = Create(std::move(home));
        there.ok()) {
      return (*there)->Logout();
    }
  }
  absl::StatusOr<std::string> token = AccessToken();
  absl::Status ended = token.status();
  if (token.ok()) ended = api_->Call("POST", "/v1/accounts:logout", nullptr, nullptr, *token);
  // Forget locally in every case: a member who logs out expects the key gone from disk.
  if (absl::Status cleared = store_.Clear(); !cleared.ok()) return cleared;
  if (!ended.ok() && ended.code() != absl::StatusCode::kNotFound &&
      ended.code() != absl::StatusCode::kUnauthenticated) {
    return absl::Status(ended.code(),
                        absl::StrCat("logged out on this device, but the server could not be "
                                     "told: ",
                                     ended.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<accounts::v1::User> AccountClient::WhoAmI() {
  accounts::v1::User user;
  if (absl::Status status = CallAsMember("GET", "/v1/users/me", nullptr, &user); !status.ok()) {
    return status;
  }
  return user;
}

absl::Status AccountClient::ChangePassword(absl::string_view current_password,
                                           absl::string_view new_password) {
  if (absl::Status strong = CheckNewPassword(new_password); !strong.ok()) return strong;
  absl::StatusOr<client::v1::Credentials> credentials = Stored();
  if (!credentials.ok()) return credentials.status();
  const accounts::v1::KeyBundle& bundle = credentials->key_bundle();
  absl::StatusOr<PasswordKeys> current =
      DerivePasswordKeys(current_password, bundle.salt(), FromProto(bundle.kdf_params()));
  if (!current.ok()) return current.status();
  if (!UnwrapMasterKey(bundle, current->key_encryption_key).ok()) {
    return absl::UnauthenticatedError("the current password is incorrect");
  }
  absl::StatusOr<accounts::v1::PasswordEnvelope> envelope =
      RewrapMasterKey(new_password, credentials->master_key(), options_.kdf_params);
  if (!envelope.ok()) return envelope.status();
  accounts::v1::ChangePasswordRequest request;
  request.set_current_auth_key(current->auth_key);
  *request.mutable_new_password() = *envelope;
  request.set_request_id(ids::NewRandomId());
  accounts::v1::ChangePasswordResponse response;
  if (absl::Status status =
          CallAsMember("POST", "/v1/users/me:changePassword", &request, &response);
      !status.ok()) {
    return status;
  }
  accounts::v1::KeyBundle updated = bundle;
  updated.set_salt(envelope->salt());
  *updated.mutable_kdf_params() = envelope->kdf_params();
  updated.set_wrapped_master_key(envelope->wrapped_master_key());
  accounts::v1::User user;
  user.set_name(credentials->user());
  return Remember(credentials->email(), user, response.tokens(), credentials->master_key(), updated)
      .status();
}

absl::StatusOr<std::string> AccountClient::RecoveryKey() {
  absl::StatusOr<client::v1::Credentials> credentials = Stored();
  if (!credentials.ok()) return credentials.status();
  return FormatRecoveryKey(credentials->master_key());
}

absl::StatusOr<client::v1::Credentials> AccountClient::Recover(absl::string_view email,
                                                               absl::string_view recovery_key,
                                                               absl::string_view new_password) {
  absl::StatusOr<std::string> master = ParseRecoveryKey(recovery_key);
  if (!master.ok()) return master.status();
  if (absl::Status strong = CheckNewPassword(new_password); !strong.ok()) return strong;
  absl::StatusOr<accounts::v1::PasswordEnvelope> envelope =
      RewrapMasterKey(new_password, *master, options_.kdf_params);
  if (!envelope.ok()) return envelope.status();
  accounts::v1::RecoverAccountRequest request;
  request.set_email(std::string(email));
  request.set_recovery_auth_key(RecoveryAuthKey(*master));
  *request.mutable_new_password() = *envelope;
  *request.mutable_device() = Device();
  request.set_request_id(ids::NewRandomId());
  accounts::v1::RecoverAccountResponse response;
  if (absl::Status status = api_->Call("POST", "/v1/accounts:recover", &request, &response);
      !status.ok()) {
    return status;
  }
  return Remember(response.user().email(), response.user(), response.tokens(), *master,
                  response.key_bundle());
}

absl::StatusOr<std::vector<accounts::v1::Session>> AccountClient::ListSessions() {
  accounts::v1::ListSessionsResponse response;
  if (absl::Status status =
          CallAsMember("GET", "/v1/users/me/sessions?pageSize=100", nullptr, &response);
      !status.ok()) {
    return status;
  }
  return std::vector<accounts::v1::Session>(response.sessions().begin(), response.sessions().end());
}

absl::Status AccountClient::RevokeSession(absl::string_view session) {
  accounts::v1::Session revoked;
  return CallAsMember("POST", absl::StrCat("/v1/", session, ":revoke"), nullptr, &revoked);
}

absl::StatusOr<accounts::v1::CreateApiKeyResponse> AccountClient::CreateApiKey(
    const accounts::v1::CreateApiKeyRequest& request) {
  accounts::v1::CreateApiKeyRequest with_id = request;
  with_id.set_parent("users/me");
  if (with_id.request_id().empty()) with_id.set_request_id(ids::NewRandomId());
  accounts::v1::CreateApiKeyResponse response;
  if (absl::Status status = CallAsMember("POST", "/v1/users/me/apiKeys", &with_id, &response);
      !status.ok()) {
    return status;
  }
  return response;
}

absl::StatusOr<std::vector<accounts::v1::ApiKey>> AccountClient::ListApiKeys(bool show_inactive) {
  accounts::v1::ListApiKeysResponse response;
  const std::string path =
      absl::StrCat("/v1/users/me/apiKeys?pageSize=100", show_inactive ? "&showInactive=true" : "");
  if (absl::Status status = CallAsMember("GET", path, nullptr, &response); !status.ok()) {
    return status;
  }
  return std::vector<accounts::v1::ApiKey>(response.api_keys().begin(), response.api_keys().end());
}

absl::Status AccountClient::RevokeApiKey(absl::string_view api_key) {
  accounts::v1::ApiKey revoked;
  return CallAsMember("POST", absl::StrCat("/v1/", api_key, ":revoke"), nullptr, &revoked);
}

}  // namespace bitcontent::client
