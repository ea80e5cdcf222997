#include "libs/kit/channel.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/client_interceptor.h>
#include <grpcpp/support/time.h>

#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "libs/kit/flags.h"
#include "libs/kit/log.h"
#include "libs/kit/request_id.h"

namespace bitcontent::kit {
namespace {

using grpc::experimental::InterceptionHookPoints;

// A call without a deadline can hang a handler forever when a peer stalls. Such a
// call is a programming error, so it is cancelled at once and logged loudly; tests
// see CANCELLED rather than a hang.
class DeadlineRequired final : public grpc::experimental::Interceptor {
 public:
  explicit DeadlineRequired(grpc::experimental::ClientRpcInfo* info) : info_(info) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA) &&
        info_->client_context()->deadline() == std::chrono::system_clock::time_point::max()) {
      Log(spdlog::level::err, "call without a deadline refused; use kit::NewCallContext",
          {{"method", info_->method()}});
      info_->client_context()->TryCancel();
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ClientRpcInfo* const info_;
};

class DeadlineRequiredFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* info) override {
    return new DeadlineRequired(info);
  }
};

}  // namespace

std::shared_ptr<grpc::Channel> NewChannel(const std::string& target) {
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS,
                   static_cast<int>(absl::GetFlag(FLAGS_keepalive_time_ms)));
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  arguments.SetMaxReceiveMessageSize(static_cast<int>(absl::GetFlag(FLAGS_max_message_bytes)));
  arguments.SetMaxSendMessageSize(static_cast<int>(absl::GetFlag(FLAGS_max_message_bytes)));
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<DeadlineRequiredFactory>());
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      target, grpc::InsecureChannelCredentials(), arguments, std::move(factories));
}

std::unique_ptr<grpc::ClientContext> NewCallContext(absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context->AddMetadata(std::string(kRequestIdKey), NewRequestId());
  return context;
}

std::unique_ptr<grpc::ClientContext> NewCallContext(const grpc::ServerContext& parent,
                                                    absl::Duration timeout) {
  std::unique_ptr<grpc::ClientContext> context = grpc::ClientContext::FromServerContext(parent);
  const auto own_deadline = absl::ToChronoTime(absl::Now() + timeout);
  context->set_deadline(std::min(own_deadline, parent.deadline()));
  const std::string request_id = RequestIdOf(parent);
  context->AddMetadata(std::string(kRequestIdKey),
                       request_id.empty() ? NewRequestId() : request_id);
  return context;
}

}  // namespace bitcontent::kit
