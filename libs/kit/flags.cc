#include "libs/kit/flags.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, grpc_address, "127.0.0.1:0",
          "host:port the gRPC server listens on; port 0 picks a free port (see --address_file).");
ABSL_FLAG(std::string, admin_address, "127.0.0.1:0",
          "host:port of the admin HTTP listener serving /metrics and /healthz.");
ABSL_FLAG(std::string, address_file, "",
          "If set, the bound addresses are written here as JSON once the service serves.");
ABSL_FLAG(std::string, data_dir, "var/data", "Directory for this service's durable state.");
ABSL_FLAG(std::string, accounts_target, "",
          "host:port of the accounts service, whose published keys verify access tokens.");
ABSL_FLAG(std::string, metadata_target, "",
          "host:port of the metadata service, whose published keys verify capability grants.");
ABSL_FLAG(std::string, blobs_target, "",
          "host:port of the blobs service, which holds the bytes of files.");
ABSL_FLAG(std::string, wallet_target, "",
          "host:port of the wallet service, which holds the Bitcache ledger.");
ABSL_FLAG(std::string, pricing_target, "",
          "host:port of the pricing service, which says who may download a file on sale.");
ABSL_FLAG(uint32_t, shutdown_delay_ms, 0,
          "On SIGTERM, report NOT_SERVING for this long before refusing new calls, so load "
          "balancers stop routing here first.");
ABSL_FLAG(uint32_t, shutdown_grace_ms, 10000,
          "On SIGTERM, how long in-flight calls may run before they are cancelled.");
ABSL_FLAG(uint32_t, max_message_bytes, 8u << 20,
          "Largest gRPC message accepted or sent, in bytes.");
ABSL_FLAG(uint32_t, keepalive_time_ms, 30000,
          "Interval of gRPC keepalive pings on idle connections.");
ABSL_FLAG(uint32_t, grpc_idle_threads_max, 64,
          "Most idle threads the gRPC server keeps waiting for calls (at least 1). Busy calls "
          "start more; those beyond this many end when idle, so too few makes calls under "
          "concurrent load start and end a thread each.");
ABSL_FLAG(std::string, log_level, "info", "One of trace, debug, info, warn, error.");

namespace bitcontent::kit {

std::string EnvironmentNameOf(const std::string& flag_name) {
  return absl::StrCat("BITCONTENT_", absl::AsciiStrToUpper(flag_name));
}

absl::Status ApplyEnvironment() {
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    const std::string variable = EnvironmentNameOf(std::string(name));
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("environment variable ", variable, "='", value, "': ", error));
    }
  }
  return absl::OkStatus();
}

std::vector<char*> ParseFlags(int argc, char** argv, const char* usage) {
  absl::SetProgramUsageMessage(usage);
  if (absl::Status status = ApplyEnvironment(); !status.ok()) {
    std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
    std::exit(2);
  }
  return absl::ParseCommandLine(argc, argv);
}

}  // namespace bitcontent::kit
