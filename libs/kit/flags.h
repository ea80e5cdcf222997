// Flags every service shares, and the one way a service reads its configuration.
//
// Each flag can be given on the command line (--grpc_address=...) or in the
// environment as BITCONTENT_<NAME> in upper case (BITCONTENT_GRPC_ADDRESS=...). The
// command line wins over the environment, which wins over the default. Operators use
// the environment on Kubernetes and ./dev uses the command line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"

ABSL_DECLARE_FLAG(std::string, grpc_address);
ABSL_DECLARE_FLAG(std::string, admin_address);
ABSL_DECLARE_FLAG(std::string, address_file);
ABSL_DECLARE_FLAG(std::string, data_dir);
ABSL_DECLARE_FLAG(std::string, accounts_target);
ABSL_DECLARE_FLAG(std::string, metadata_target);
ABSL_DECLARE_FLAG(std::string, blobs_target);
ABSL_DECLARE_FLAG(std::string, wallet_target);
ABSL_DECLARE_FLAG(std::string, pricing_target);
ABSL_DECLARE_FLAG(uint32_t, shutdown_delay_ms);
ABSL_DECLARE_FLAG(uint32_t, shutdown_grace_ms);
ABSL_DECLARE_FLAG(uint32_t, max_message_bytes);
ABSL_DECLARE_FLAG(uint32_t, keepalive_time_ms);
ABSL_DECLARE_FLAG(uint32_t, grpc_idle_threads_max);
ABSL_DECLARE_FLAG(std::string, log_level);

namespace bitcontent::kit {

// The environment variable that can set `flag_name`: "grpc_address" ->
// "BITCONTENT_GRPC_ADDRESS".
std::string EnvironmentNameOf(const std::string& flag_name);

// Sets every registered flag that has a BITCONTENT_* variable in the environment. An
// unparsable value is an error naming the variable, so a typo in a deployment fails
// the start instead of silently using a default.
absl::Status ApplyEnvironment();

// Applies the environment, then parses the command line (which wins). Exits with a
// usage message on bad flags or bad environment values. Returns the positional args.
std::vector<char*> ParseFlags(int argc, char** argv, const char* usage);

}  // namespace bitcontent::kit
