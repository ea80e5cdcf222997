#include "libs/kit/rpc_interceptor.h"

#include <chrono>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "libs/kit/log.h"
#include "libs/kit/request_id.h"
#include "libs/kit/rpc_metrics.h"

namespace bitcontent::kit {
namespace {

using grpc::experimental::InterceptionHookPoints;

const char* CodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {"OK",
                                           "CANCELLED",
                                           "UNKNOWN",
                                           "INVALID_ARGUMENT",
                                           "DEADLINE_EXCEEDED",
                                           "NOT_FOUND",
                                           "ALREADY_EXISTS",
                                           "PERMISSION_DENIED",
                                           "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION",
                                           "ABORTED",
                                           "OUT_OF_RANGE",
                                           "UNIMPLEMENTED",
                                           "INTERNAL",
                                           "UNAVAILABLE",
                                           "DATA_LOSS",
                                           "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  if (index < 0 || index >= static_cast<int>(std::size(kNames))) return "UNKNOWN";
  return kNames[index];
}

class RpcInterceptor final : public grpc::experimental::Interceptor {
 public:
  RpcInterceptor(grpc::experimental::ServerRpcInfo* info, const std::string& service_name)
      : info_(info),
        service_name_(service_name),
        method_(RpcMethod::Parse(info->method())),
        start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      AdoptRequestId(methods->GetRecvInitialMetadata());
      RpcMetrics::Get().Started(method_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace(std::string(kRequestIdKey), request_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Finish(methods);
    }
    methods->Proceed();
  }

 private:
  // Keeps the caller's request id when it is usable; otherwise replaces it with a new
  // one. The map holds string_refs, so the id we insert must live as long as the call:
  // it is stored in this interceptor, which the call owns.
  void AdoptRequestId(std::multimap<grpc::string_ref, grpc::string_ref>* metadata) {
    const grpc::string_ref key(kRequestIdKey.data(), kRequestIdKey.size());
    auto it = metadata->find(key);
    if (it != metadata->end() &&
        IsUsableRequestId(absl::string_view(it->second.data(), it->second.size()))) {
      request_id_.assign(it->second.data(), it->second.size());
      return;
    }
    metadata->erase(key);
    request_id_ = NewRequestId();
    metadata->emplace(key, grpc::string_ref(request_id_));
  }

  void Finish(grpc::experimental::InterceptorBatchMethods* methods) {
    grpc::Status status = methods->GetSendStatus();
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED && status.error_message().empty()) {
      status = grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                            NotBuiltYetMessage(info_->method(), service_name_));
      methods->ModifySendStatus(status);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const char* code = CodeName(status.error_code());
    RpcMetrics::Get().Handled(method_, code, seconds);
    char duration_ms[32];
    std::snprintf(duration_ms, sizeof(duration_ms), "%.3f", seconds * 1e3);
    Log(status.ok() ? spdlog::level::debug : spdlog::level::info, "rpc",
        {{"request_id", request_id_},
         {"method", info_->method()},
         {"code", code},
         {"duration_ms", duration_ms},
         {"error", status.error_message()}});
  }

  grpc::experimental::ServerRpcInfo* const info_;
  const std::string& service_name_;
  const RpcMethod method_;
  const std::chrono::steady_clock::time_point start_;
  std::string request_id_;
};

}  // namespace

RpcInterceptorFactory::RpcInterceptorFactory(std::string service_name)
    : service_name_(std::move(service_name)) {}

grpc::experimental::Interceptor* RpcInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcInterceptor(info, service_name_);
}

std::string NotBuiltYetMessage(absl::string_view full_method, absl::string_view service_name) {
  return absl::StrCat(full_method, " is declared in the contract but not built yet in the ",
                      service_name, " service; no state was changed");
}

}  // namespace bitcontent::kit
