#include "services/gateway/backend_call.h"

#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/client_callback.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "libs/kit/error_details.h"
#include "libs/kit/log.h"
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

namespace {

// "wallet" for "/bitcontent.wallet.v1.WalletService/Pay"; the whole name otherwise.
absl::string_view ServiceName(absl::string_view rpc) {
  absl::string_view rest = rpc;
  if (!absl::ConsumePrefix(&rest, "/bitcontent.")) return rpc;
  const size_t dot = rest.find('.');
  return dot == absl::string_view::npos ? rpc : rest.substr(0, dot);
}

// gRPC's words for a connection that was never made.
bool NeverConnected(absl::string_view message) {
  return absl::StrContains(message, "failed to connect") ||
         absl::StrContains(message, "Connection refused") ||
         absl::StrContains(message, "DNS resolution failed");
}

// How long a client should wait before retrying a service that stopped: long enough for
// a restart or for the load balancer to pick another replica.
constexpr uint32_t kStoppedRetryAfterMs = 1000;

absl::string_view RetryWords(RetryHint hint) {
  return hint == RetryHint::kSameIdempotencyKey
             ? "retry with the same Idempotency-Key, which is safe"
         : hint == RetryHint::kSameRequestId ? "retry with the same request_id, which is safe"
                                             : "retry";
}

}  // namespace

absl::Status ServiceStopped(absl::string_view rpc, RetryHint hint, bool unreachable) {
  return absl::UnavailableError(absl::StrCat(
      "the ", ServiceName(rpc), " service ",
      unreachable ? "could not be reached" : "stopped before it answered", "; ", RetryWords(hint)));
}

bool FailedInTransport(const grpc::Status& status, bool service_details) {
  switch (status.error_code()) {
    case grpc::StatusCode::CANCELLED:
      return true;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::UNKNOWN:
      return !service_details;
    default:
      return false;
  }
}

absl::Status BackendFailure(absl::string_view rpc, const grpc::Status& status, RetryHint hint,
                            std::optional<common::v1::ErrorDetails>* details) {
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED && !details->has_value()) {
    // The gateway's own deadline passed: the service may yet do it, so a retry must be
    // one that cannot do it twice.
    common::v1::ErrorDetails late;
    late.set_retry_after_ms(kStoppedRetryAfterMs);
    *details = std::move(late);
    return absl::DeadlineExceededError(absl::StrCat(
        "the ", ServiceName(rpc), " service did not answer in time; ", RetryWords(hint)));
  }
  if (!FailedInTransport(status, details->has_value())) return kit::FromGrpc(status);
  // The transport's own words ("recvmsg:Connection reset by peer") go to the log, where
  // an operator looks; the client is told what to do.
  kit::Log(spdlog::level::warn, "backend call failed in transport",
           {{"rpc", rpc},
            {"code", absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()))},
            {"error", status.error_message()}});
  common::v1::ErrorDetails stopped;
  stopped.set_retry_after_ms(kStoppedRetryAfterMs);
  *details = std::move(stopped);
  return ServiceStopped(rpc, hint, NeverConnected(status.error_message()));
}

RetryHint RetryHintOf(const google::protobuf::Descriptor& request, bool rest) {
  const google::protobuf::FieldDescriptor* key = request.FindFieldByName("request_id");
  if (key == nullptr || key->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    return RetryHint::kPlain;
  }
  return rest ? RetryHint::kSameIdempotencyKey : RetryHint::kSameRequestId;
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
        if (!status.ok()) {
          result.details = kit::ErrorDetailsOf(call->context->GetServerTrailingMetadata());
          // The gateway never cancels a unary call: a CANCELLED is the service's doing.
          result.status = BackendFailure(
              rpc, status, RetryHintOf(*call->request->GetDescriptor(), true), &result.details);
        }
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
