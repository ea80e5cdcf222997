// gRPC server metrics every service exports, under the names Prometheus users know
// from go-grpc-prometheus: grpc_server_started_total, grpc_server_handled_total and
// grpc_server_handling_seconds, labelled by grpc_service, grpc_method and grpc_code.
// The RPC interceptor feeds them; /metrics renders them from Metrics().
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "libs/metrics/registry.h"

namespace bitcontent::kit {

// The process-wide registry a service's own metrics are added to as well.
metrics::Registry& Metrics();

// "/bitcontent.wallet.v1.WalletService/Pay" split into its service and method.
struct RpcMethod {
  std::string service;
  std::string method;

  static RpcMethod Parse(absl::string_view full_method);
};

class RpcMetrics {
 public:
  static RpcMetrics& Get();

  void Started(const RpcMethod& method);
  void Handled(const RpcMethod& method, absl::string_view code, double seconds);

 private:
  RpcMetrics();

  metrics::CounterFamily& started_;
  metrics::CounterFamily& handled_;
  metrics::HistogramFamily& handling_seconds_;
};

}  // namespace bitcontent::kit
