#include "libs/kit/rpc_metrics.h"

namespace bitcontent::kit {

metrics::Registry& Metrics() {
  // Leaked on purpose: interceptors may still record during static destruction.
  static auto* registry = new metrics::Registry();
  return *registry;
}

RpcMethod RpcMethod::Parse(absl::string_view full_method) {
  if (!full_method.empty() && full_method.front() == '/') full_method.remove_prefix(1);
  const size_t slash = full_method.find('/');
  if (slash == absl::string_view::npos) return {"unknown", std::string(full_method)};
  return {std::string(full_method.substr(0, slash)), std::string(full_method.substr(slash + 1))};
}

RpcMetrics& RpcMetrics::Get() {
  static auto* metrics = new RpcMetrics();
  return *metrics;
}

RpcMetrics::RpcMetrics()
    : started_(Metrics().AddCounter("grpc_server_started_total", "RPCs started on the server.",
                                    {"grpc_service", "grpc_method"})),
      handled_(Metrics().AddCounter("grpc_server_handled_total",
                                    "RPCs completed on the server, by status code.",
                                    {"grpc_service", "grpc_method", "grpc_code"})),
      handling_seconds_(
          Metrics().AddHistogram("grpc_server_handling_seconds",
                                 "Time from receiving an RPC to sending its status, in seconds.",
                                 {"grpc_service", "grpc_method"}, metrics::LatencyBuckets())) {}

void RpcMetrics::Started(const RpcMethod& method) {
  started_.WithLabels({method.service, method.method}).Increment();
}

void RpcMetrics::Handled(const RpcMethod& method, absl::string_view code, double seconds) {
  handled_.WithLabels({method.service, method.method, std::string(code)}).Increment();
  handling_seconds_.WithLabels({method.service, method.method}).Observe(seconds);
}

}  // namespace bitcontent::kit
