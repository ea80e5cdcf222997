// The admin HTTP listener every service runs next to its gRPC server:
//   GET /metrics  the kit's metrics registry in the Prometheus text format
//   GET /healthz  200 "SERVING" while serving, 503 "NOT_SERVING" once draining
// It is meant for Prometheus and Kubernetes probes on the cluster network, never for
// the public.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "libs/http/server.h"

namespace bitcontent::kit {

class AdminServer {
 public:
  AdminServer();
  ~AdminServer();

  // Listens on `address` ("host:port", port 0 allowed).
  absl::Status Start(const std::string& address);
  // The bound "host:port".
  std::string address() const;
  // /healthz answers 503 after SetServing(false).
  void SetServing(bool serving) { serving_.store(serving); }
  void Stop();

 private:
  std::atomic<bool> serving_{true};
  std::unique_ptr<http::Server> server_;
};

}  // namespace bitcontent::kit
