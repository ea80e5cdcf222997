#include "services/gateway/backend_call.h"

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/client_callback.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/kit/error_details.h"
#include "libs/kit/reply.h"
#include "libs/kit/request_id.h"
#include "libs/kit/status.h"

namespace bitcontent::gateway {

std::unique_ptr<grpc::ClientContext> NewBackendContext(absl::Duration timeout,
                                                       absl::string_view request_id,
                                                       absl::string_view bearer_token,
                                                       absl::string_view client_ip) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context->AddMetadata(std::string(kit::kRequestIdKey), std::string(request_id));
  if (!bearer_token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", bearer_token));
  }
  if (!client_ip.empty())
    context->AddMetadata(std::string(kForwardedForKey), std::string(client_ip));
  return context;
}

absl::Status ServiceStopped(absl::string_view rpc) {
  return absl::UnavailableError(
      absl::StrCat(rpc, ": the service stopped before it answered; retry"));
}

BackendMethod::BackendMethod(std::string rpc, std::shared_ptr<grpc::Channel> channel)
    : rpc_(std::move(rpc)),
      channel_(std::move(channel)),
      // Registering the method with the channel lets gRPC intern its path once.
      method_(rpc_.c_str(), grpc::internal::RpcMethod::NORMAL_RPC, channel_) {}

template <typename Response>
void BackendMethod::Run(std::unique_ptr<grpc::ClientContext> context,
                        std::shared_ptr<const google::protobuf::Message> request,
                        std::unique_ptr<Response> response,
                        std::function<void(BackendResult, Response&)> done) const {
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    std::shared_ptr<const google::protobuf::Message> request;
    std::unique_ptr<Response> response;
  };
  auto call =
      std::make_shared<Call>(Call{std::move(context), std::move(request), std::move(response)});
  grpc::internal::CallbackUnaryCall<google::protobuf::Message, Response>(
      channel_.get(), method_, call->context.get(), call->request.get(), call->response.get(),
      [call, rpc = rpc_, done = std::move(done)](const grpc::Status& status) {
        BackendResult result;
        result.status = kit::FromGrpc(status);
        // The gateway never cancels a unary call: the service did.
        if (status.error_code() == grpc::StatusCode::CANCELLED) result.status = ServiceStopped(rpc);
        if (!status.ok())
          result.details = kit::ErrorDetailsOf(call->context->GetServerTrailingMetadata());
        done(std::move(result), *call->response);
      });
}

void BackendMethod::Start(std::unique_ptr<grpc::ClientContext> context,
                          std::shared_ptr<const google::protobuf::Message> request,
                          std::unique_ptr<google::protobuf::Message> response, Done done) const {
  Run<google::protobuf::Message>(std::move(context), std::move(request), std::move(response),
                                 std::move(done));
}

void BackendMethod::StartRaw(std::unique_ptr<grpc::ClientContext> context,
                             std::shared_ptr<const google::protobuf::Message> request,
                             RawDone done) const {
  Run<grpc::ByteBuffer>(std::move(context), std::move(request),
                        std::make_unique<grpc::ByteBuffer>(), std::move(done));
}

}  // namespace bitcontent::gateway
