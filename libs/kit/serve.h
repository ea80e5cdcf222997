// The one bootstrap every BitContent service uses. A service's main.cc is wiring only:
//
//   int main(int argc, char** argv) {
//     bitcontent::kit::InitService(argc, argv, "wallet");
//     WalletService wallet(...);
//     return bitcontent::kit::Serve({.name = "wallet", .services = {&wallet}});
//   }
//
// Serve() starts the gRPC server (with grpc.health.v1, server reflection, Diagnostics,
// keepalive and message-size limits, and the RPC interceptor), the admin HTTP listener
// (/metrics, /healthz), writes --address_file, and blocks until SIGTERM or SIGINT. Then
// it drains: health turns NOT_SERVING at once, new calls are refused after
// --shutdown_delay_ms, in-flight calls get --shutdown_grace_ms to finish, and the
// process returns 0.
#pragma once

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/impl/service_type.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bitcontent::kit {

// Keeps freed memory in the process (libs/heap), parses flags (command line over
// BITCONTENT_* environment), sets up logging, and
// blocks SIGTERM/SIGINT so that Serve() can wait for them. Call first in main(), before
// any thread is started. Exits with status 2 on bad flags.
void InitService(int argc, char** argv, const char* name);

struct ServeOptions {
  // Short service name: "wallet". Used in logs, metrics and UNIMPLEMENTED messages.
  std::string name = {};
  // The service's gRPC services; they must outlive Serve().
  std::vector<grpc::Service*> services = {};
  // Extra gRPC listening addresses by name (the gateway's "public_grpc"); each bound
  // address is written to the address file under that name.
  std::map<std::string, std::string> extra_grpc_addresses = {};
  // Addresses the service bound itself (the gateway's "public_rest"), written to the
  // address file as they are.
  std::map<std::string, std::string> extra_bound_addresses = {};
  // Takes every call no service above handles (the gateway's public gRPC proxy); must
  // outlive Serve(). Unset: such calls answer UNIMPLEMENTED.
  grpc::CallbackGenericService* generic_service = nullptr;
  // Called when the server stops taking new calls (after --shutdown_delay_ms), before
  // in-flight calls are waited for; the gateway stops its REST listener here.
  std::function<void()> on_drain = {};
};

// What Serve() logs when its gRPC address is taken; the suite's launcher looks for it to
// start again on other ports.
inline constexpr char kGrpcAddressInUse[] = "cannot start the gRPC server; is the address in use?";

// Serves until SIGTERM/SIGINT, then drains. Returns the process exit code: 0 after a
// clean drain, 1 when the server could not start (the reason is logged).
int Serve(const ServeOptions& options);

}  // namespace bitcontent::kit
