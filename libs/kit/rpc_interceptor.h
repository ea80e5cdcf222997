// The server interceptor every service installs through Serve(). For each call it:
//  - makes sure the call has a request id (keeps a usable x-request-id from the caller,
//    otherwise generates one) and echoes it in the response's initial metadata;
//  - counts the call and times it in the kit's metrics, by service, method and code;
//  - writes one access-log line;
//  - gives a bare UNIMPLEMENTED (an RPC declared in the contract but not built yet) a
//    message naming the method, so callers learn what is missing instead of guessing.
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::kit {

class RpcInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `service_name` is the short name used in logs, e.g. "wallet".
  explicit RpcInterceptorFactory(std::string service_name);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  const std::string service_name_;
};

// The message given to an RPC that answered UNIMPLEMENTED without one.
std::string NotBuiltYetMessage(absl::string_view full_method, absl::string_view service_name);

}  // namespace bitcontent::kit
