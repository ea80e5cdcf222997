#include "tests/integration/gateway_fake_accounts.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/access_token.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/signing.h"

namespace bitcontent::testing {
namespace {

using accounts::v1::AccessTokenClaims;

std::string MetadataOf(const grpc::ServerContext& context, const char* key) {
  const auto found = context.client_metadata().find(key);
  if (found == context.client_metadata().end()) return {};
  return std::string(found->second.data(), found->second.size());
}

AccessTokenClaims Claims(absl::Time issued) {
  AccessTokenClaims claims;
  claims.set_token_id(std::string(16, 't'));
  claims.set_user("users/u1");
  *claims.mutable_issue_time() = auth::ProtoFromTime(issued);
  *claims.mutable_expire_time() = auth::ProtoFromTime(issued + absl::Minutes(15));
  return claims;
}

class Accounts final : public accounts::v1::AccountsService::Service {
 public:
  explicit Accounts(FakeAccounts* fake) : fake_(fake) {}

  grpc::Status ListTokenSigningKeys(grpc::ServerContext*,
                                    const accounts::v1::ListTokenSigningKeysRequest*,
                                    accounts::v1::ListTokenSigningKeysResponse* response) override {
    *response->add_keys() = auth::PublicKeyOf(fake_->key(), common::v1::KEY_PURPOSE_ACCESS_TOKEN,
                                              "accounts", absl::Now() - absl::Hours(1));
    return grpc::Status::OK;
  }

  grpc::Status GetUser(grpc::ServerContext* context, const accounts::v1::GetUserRequest* request,
                       accounts::v1::User* response) override {
    fake_->Record(*context, "GetUser", request->name());
    response->set_name("users/u1");
    response->set_email("ada@example.com");
    return grpc::Status::OK;
  }

  grpc::Status GetQuota(grpc::ServerContext* context, const accounts::v1::GetQuotaRequest* request,
                        accounts::v1::Quota* response) override {
    fake_->Record(*context, "GetQuota", request->name());
    response->set_name("users/u1/quota");
    response->set_limit_bytes(100'000'000'000);
    return grpc::Status::OK;
  }

  grpc::Status CreateApiKey(grpc::ServerContext* context,
                            const accounts::v1::CreateApiKeyRequest* request,
                            accounts::v1::CreateApiKeyResponse*) override {
    fake_->Record(*context, "CreateApiKey", request->parent());
    return grpc::Status(grpc::StatusCode::INTERNAL, "the fake creates no keys");
  }

  grpc::Status Login(grpc::ServerContext* context, const accounts::v1::LoginRequest* request,
                     accounts::v1::LoginResponse*) override {
    fake_->Record(*context, "Login", request->email());
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "email or password is incorrect");
  }

 private:
  FakeAccounts* const fake_;
};

class Internal final : public accounts::v1::AccountsInternalService::Service {
 public:
  explicit Internal(FakeAccounts* fake) : fake_(fake) {}

  grpc::Status AuthenticateApiKey(grpc::ServerContext*,
                                  const accounts::v1::AuthenticateApiKeyRequest* request,
                                  accounts::v1::AuthenticateApiKeyResponse* response) override {
    if (request->secret() != FakeAccounts::kApiKey) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unknown or revoked API key");
    }
    AccessTokenClaims claims = Claims(absl::Now());
    claims.set_api_key("users/u1/apiKeys/k1");
    claims.add_scopes(common::v1::SCOPE_FILES_READ);
    *claims.mutable_expire_time() = auth::ProtoFromTime(absl::Now() + absl::Minutes(5));
    *response->mutable_principal() = auth::PrincipalFromClaims(claims);
    response->set_access_token(auth::IssueAccessToken(fake_->key(), claims));
    *response->mutable_access_token_expire_time() = claims.expire_time();
    return grpc::Status::OK;
  }

 private:
  FakeAccounts* const fake_;
};

}  // namespace

FakeAccounts::FakeAccounts() : key_{"acc-fake", crypto::NewSigningKeyPair()} {
  accounts_ = std::make_unique<Accounts>(this);
  internal_ = std::make_unique<Internal>(this);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(accounts_.get());
  builder.RegisterService(internal_.get());
  server_ = builder.BuildAndStart();
  REQUIRE(server_ != nullptr);
  address_ = absl::StrCat("127.0.0.1:", port);
}

FakeAccounts::~FakeAccounts() { server_->Shutdown(std::chrono::system_clock::now()); }

std::string FakeAccounts::SessionToken(absl::Time issued) const {
  AccessTokenClaims claims = Claims(issued);
  claims.set_session("users/u1/sessions/s1");
  return auth::IssueAccessToken(key_, claims);
}

void FakeAccounts::Record(const grpc::ServerContext& context, std::string method,
                          std::string name) {
  absl::MutexLock lock(&mu_);
  ++calls_;
  last_ = {std::move(method), MetadataOf(context, "authorization"),
           MetadataOf(context, "x-request-id"), std::move(name)};
}

FakeAccounts::Seen FakeAccounts::last_call() const {
  absl::MutexLock lock(&mu_);
  return last_;
}

int FakeAccounts::calls() const {
  absl::MutexLock lock(&mu_);
  return calls_;
}

}  // namespace bitcontent::testing
