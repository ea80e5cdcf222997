// GrpcProxy: the public gRPC API. Registered as the server's generic service, it takes
// every call no registered service handles and proxies unary calls by method name to
// the service that owns them ("/bitcontent.accounts.v1.AccountsService/Login" goes to
// accounts), after the same checks as REST (Gatekeeper: bearer token from the
// `authorization` metadata, route policy and scope, revocations, rate limits). Messages
// pass through as bytes; only credential attempts are parsed, for their email.
//
// Streaming methods answer UNIMPLEMENTED for now; *InternalService methods and anything
// outside bitcontent.*.v1 answer UNIMPLEMENTED too, as if they did not exist.
#pragma once

#include <grpcpp/generic/async_generic_service.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "services/gateway/backends.h"
#include "services/gateway/gatekeeper.h"
#include "services/gateway/route.h"
#include "services/gateway/routes.h"

namespace bitcontent::gateway {

class GrpcProxy final : public grpc::CallbackGenericService {
 public:
  // Everything passed must outlive the proxy.
  GrpcProxy(const std::vector<Route>& routes, Gatekeeper* gatekeeper, const Backends* backends,
            absl::Duration backend_timeout);

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

  // Where a call of `rpc` goes, or the status to refuse it with.
  struct Target {
    MethodExposure exposure;
    const google::protobuf::MethodDescriptor* method = nullptr;
    std::shared_ptr<grpc::Channel> channel;
  };
  absl::StatusOr<Target> Resolve(absl::string_view rpc) const;

  Gatekeeper& gatekeeper() const { return *gatekeeper_; }
  absl::Duration backend_timeout() const { return backend_timeout_; }

 private:
  const std::vector<Route>& routes_;
  Gatekeeper* const gatekeeper_;
  const Backends* const backends_;
  const absl::Duration backend_timeout_;
};

}  // namespace bitcontent::gateway
