#include "libs/kit/serve.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/heap/heap_tuning.h"
#include "libs/kit/address_file.h"
#include "libs/kit/admin_server.h"
#include "libs/kit/diagnostics_service.h"
#include "libs/kit/flags.h"
#include "libs/kit/log.h"
#include "libs/kit/rpc_interceptor.h"

namespace bitcontent::kit {
namespace {

sigset_t ShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

// Binds `address` on the builder; the bound port is known only after BuildAndStart,
// through `port`.
void AddListener(grpc::ServerBuilder& builder, const std::string& address, int* port) {
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), port);
}

// "127.0.0.1:0" with bound port 4321 -> "127.0.0.1:4321".
std::string WithPort(const std::string& address, int port) {
  const size_t colon = address.rfind(':');
  return absl::StrCat(address.substr(0, colon), ":", port);
}

void ConfigureBuilder(grpc::ServerBuilder& builder, const ServeOptions& options) {
  const int message_bytes_max = static_cast<int>(absl::GetFlag(FLAGS_max_message_bytes));
  builder.SetMaxReceiveMessageSize(message_bytes_max);
  builder.SetMaxSendMessageSize(message_bytes_max);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                             static_cast<int>(absl::GetFlag(FLAGS_keepalive_time_ms)));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  // Clients may ping idle connections every 10 s without being disconnected.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // gRPC sets SO_REUSEPORT by default, so a second server on a port already in use binds
  // anyway and the kernel splits the connections between the two: a service started on
  // another's address would answer part of its calls. Without it, that start fails.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // gRPC's synchronous server keeps at most 2 idle threads by default: under concurrent
  // calls every call then started a thread and ended it (a thousand a second in pricing
  // and the wallet under purchase_bench), each dear on this virtual machine.
  const int idle_max = std::max(1, static_cast<int>(absl::GetFlag(FLAGS_grpc_idle_threads_max)));
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS,
                              std::min(4, idle_max));
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, idle_max);
  for (grpc::Service* service : options.services) builder.RegisterService(service);
  if (options.generic_service != nullptr) {
    builder.RegisterCallbackGenericService(options.generic_service);
  }
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<RpcInterceptorFactory>(options.name));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
}

}  // namespace

void InitService(int argc, char** argv, const char* name) {
  heap::KeepFreedMemory();
  // Blocked here, before any thread exists, so every thread inherits the mask and the
  // signals wait in Serve()'s sigwait instead of killing the process mid-call.
  const sigset_t signals = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // Debian builds absl without NDEBUG, so every Mutex acquisition would update a
  // lock-order graph (GraphCycles showed in the gateway benchmark's profile). Services
  // take locks in one documented order each; the check is a debugging aid, off here.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  ParseFlags(argc, argv,
             absl::StrCat("bitcontent-", name,
                          ": a BitContent service. Flags can also be "
                          "set as BITCONTENT_<FLAG_NAME> environment variables.")
                 .c_str());
  if (absl::Status status = InitLogging(name, absl::GetFlag(FLAGS_log_level)); !status.ok()) {
    std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
    std::exit(2);
  }
}

int Serve(const ServeOptions& options) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  DiagnosticsService diagnostics(options.name);

  grpc::ServerBuilder builder;
  ConfigureBuilder(builder, options);
  builder.RegisterService(&diagnostics);
  const std::string grpc_address = absl::GetFlag(FLAGS_grpc_address);
  int grpc_port = 0;
  AddListener(builder, grpc_address, &grpc_port);
  std::map<std::string, int> extra_ports;
  for (const auto& [name, address] : options.extra_grpc_addresses) {
    AddListener(builder, address, &extra_ports[name]);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || grpc_port == 0) {
    Log(spdlog::level::err, kGrpcAddressInUse, {{"grpc_address", grpc_address}});
    return 1;
  }

  AdminServer admin;
  if (absl::Status status = admin.Start(absl::GetFlag(FLAGS_admin_address)); !status.ok()) {
    Log(spdlog::level::err, "cannot start the admin HTTP listener", {{"error", status.message()}});
    server->Shutdown();
    return 1;
  }

  std::map<std::string, std::string> addresses = options.extra_bound_addresses;
  addresses["grpc"] = WithPort(grpc_address, grpc_port);
  addresses["admin"] = admin.address();
  for (const auto& [name, address] : options.extra_grpc_addresses) {
    addresses[name] = WithPort(address, extra_ports[name]);
  }
  if (const std::string path = absl::GetFlag(FLAGS_address_file); !path.empty()) {
    if (absl::Status status = WriteAddressFile(path, options.name, addresses); !status.ok()) {
      Log(spdlog::level::err, "cannot write the address file", {{"error", status.message()}});
      server->Shutdown();
      return 1;
    }
  }
  Log(spdlog::level::info, "serving", {{"grpc", addresses["grpc"]}, {"admin", addresses["admin"]}});

  const sigset_t signals = ShutdownSignals();
  int signal_number = 0;
  sigwait(&signals, &signal_number);

  // Drain: report NOT_SERVING first so health checkers and load balancers move away,
  // then refuse new calls and give in-flight ones the grace period.
  Log(spdlog::level::info, "draining", {{"signal", strsignal(signal_number)}});
  server->GetHealthCheckService()->SetServingStatus(false);
  admin.SetServing(false);
  std::this_thread::sleep_for(std::chrono::milliseconds(absl::GetFlag(FLAGS_shutdown_delay_ms)));
  if (options.on_drain) options.on_drain();
  server->Shutdown(std::chrono::system_clock::now() +
                   std::chrono::milliseconds(absl::GetFlag(FLAGS_shutdown_grace_ms)));
  server->Wait();
  admin.Stop();
  Log(spdlog::level::info, "stopped");
  return 0;
}

}  // namespace bitcontent::kit
