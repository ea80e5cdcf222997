// GrpcProxy: the public gRPC API. Registered as the server's generic service, it takes
// every call no registered service handles and proxies it by method name to the service
// that owns it ("/bitcontent.accounts.v1.AccountsService/Login" goes to accounts), after
// the same checks as REST (Gatekeeper: bearer token from the `authorization` metadata,
// route policy and scope, revocations, rate limits). Messages pass through as bytes;
// only credential attempts are parsed, for their email.
//
// Unary calls are checked once their request has come, and their backend call has a
// deadline of --backend_timeout_ms (or the caller's, if sooner). Streaming calls
// (client-, server- and bidirectional) are checked once, when they start, then relayed
// message by message with flow control (stream_relay.h); their backend call has the
// caller's deadline only, since a stream such as a bulk import may rightly outlast any
// fixed timeout (at most 24 hours, also for callers that set no deadline). A stream
// counts once against the rate limits, however many messages it carries.
//
// *InternalService methods and anything outside bitcontent.*.v1 answer UNIMPLEMENTED,
// as if they did not exist.
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
#include "services/gateway/client_ip.h"
#include "services/gateway/gatekeeper.h"
#include "services/gateway/route.h"
#include "services/gateway/routes.h"

namespace bitcontent::gateway {

class GrpcProxy final : public grpc::CallbackGenericService {
 public:
  // Everything passed must outlive the proxy.
  GrpcProxy(const std::vector<Route>& routes, Gatekeeper* gatekeeper, const Backends* backends,
            const ClientIpResolver* client_ips, absl::Duration backend_timeout);

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

  // Where a call of `rpc` goes, or the status to refuse it with (UNIMPLEMENTED for
  // methods the gateway does not expose).
  struct Target {
    MethodExposure exposure;
    const google::protobuf::MethodDescriptor* method = nullptr;
    std::shared_ptr<grpc::Channel> channel;
  };
  absl::StatusOr<Target> Resolve(absl::string_view rpc) const;

  Gatekeeper& gatekeeper() const { return *gatekeeper_; }
  const ClientIpResolver& client_ips() const { return *client_ips_; }
  absl::Duration backend_timeout() const { return backend_timeout_; }

 private:
  const std::vector<Route>& routes_;
  Gatekeeper* const gatekeeper_;
  const Backends* const backends_;
  const ClientIpResolver* const client_ips_;
  const absl::Duration backend_timeout_;
};

}  // namespace bitcontent::gateway
