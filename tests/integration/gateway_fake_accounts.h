// A stand-in for the accounts service, run inside the gateway's integration tests, so
// that the gateway's routing, authentication and limits are tested on their own: it
// publishes a signing key the test controls (ListTokenSigningKeys), answers a few RPCs,
// and records the metadata each call arrived with, so a test can check what the
// gateway forwarded (bearer token, request id).
#pragma once

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "bitcontent/accounts/v1/accounts_service.grpc.pb.h"
#include "libs/auth/signed_token.h"

namespace bitcontent::testing {

class FakeAccounts {
 public:
  // The API key AuthenticateApiKey accepts; it holds the files:read scope only.
  static constexpr char kApiKey[] =
      "bck_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

  // Starts on a free loopback port.
  FakeAccounts();
  ~FakeAccounts();

  const std::string& address() const { return address_; }
  const auth::SigningKey& key() const { return key_; }

  // A session token for users/u1, session s1, issued at `issued` with the fake's key.
  std::string SessionToken(absl::Time issued) const;

  // What the last GetUser, GetQuota or CreateApiKey call carried.
  struct Seen {
    std::string method;
    std::string authorization;
    std::string request_id;
    std::string name;
  };
  Seen last_call() const;
  int calls() const;

  // Called by the services below.
  void Record(const grpc::ServerContext& context, std::string method, std::string name);

 private:
  auth::SigningKey key_;
  std::string address_;
  std::unique_ptr<grpc::Service> accounts_;
  std::unique_ptr<grpc::Service> internal_;
  std::unique_ptr<grpc::Server> server_;
  mutable absl::Mutex mu_;
  Seen last_ ABSL_GUARDED_BY(mu_);
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace bitcontent::testing
