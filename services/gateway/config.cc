#include "services/gateway/config.h"

#include <algorithm>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, public_rest_address, "127.0.0.1:0", "host:port of the public REST API.");
ABSL_FLAG(std::string, public_grpc_address, "127.0.0.1:0", "host:port of the public gRPC API.");
ABSL_FLAG(uint32_t, rest_io_threads, 0,
          "Threads serving the public REST API; 0 means one per core. No thread waits on "
          "Redis or a service, so more threads than cores only add hand-offs.");
ABSL_FLAG(std::string, trusted_proxies, "",
          "Load balancers and ingresses in front of the gateway, as addresses or networks "
          "(10.0.0.0/8,fd00::/8): from them, X-Forwarded-For names the client. Empty: the "
          "TCP peer is the client.");
ABSL_FLAG(std::string, redis_address, "",
          "host:port of Redis (rate limits and revocations). Without it, authenticated "
          "requests are refused (503) and rate limits are kept in process.");
ABSL_FLAG(uint32_t, redis_timeout_ms, 200, "Longest wait for one Redis call.");
ABSL_FLAG(uint32_t, redis_connections, 16, "Connections to Redis.");
ABSL_FLAG(uint32_t, key_refresh_interval_ms, 60000,
          "How often the token signing keys are fetched again from accounts.");
ABSL_FLAG(uint64_t, request_body_bytes_max, 1 << 20,
          "Largest REST request body; larger is answered 413.");
ABSL_FLAG(uint32_t, backend_timeout_ms, 10000, "Deadline of each call to a service.");
ABSL_FLAG(bool, blobs_local_files, false,
          "The gateway runs on the blob service's machine as a user that may read its "
          "filesystem providers' directories: chunk downloads are sent from those files "
          "(sendfile) instead of through the blob service. Leave off where blobs runs elsewhere.");
ABSL_FLAG(std::string, cors_allowed_origins, "*",
          "Origins browsers may call the REST API from: '*' or a comma-separated list.");
ABSL_FLAG(uint32_t, rate_limit_window_ms, 60000, "Window of the per-principal and per-IP limits.");
ABSL_FLAG(uint32_t, rate_limit_principal_requests, 6000,
          "Requests per window for one user (all sessions) or one API key.");
ABSL_FLAG(uint32_t, rate_limit_ip_requests, 12000, "Requests per window from one client IP.");
ABSL_FLAG(uint32_t, rate_limit_chunk_requests, 120000,
          "Chunk uploads and downloads per window for one principal, and from one client IP "
          "(a budget apart from the other requests).");
ABSL_FLAG(uint32_t, credential_limit_window_ms, 900000,
          "Window of the credential-attempt limits (login, pre-login, recovery, claim).");
ABSL_FLAG(uint32_t, credential_limit_email_attempts, 10,
          "Credential attempts per window for one (normalised) email.");
ABSL_FLAG(uint32_t, credential_limit_ip_attempts, 100,
          "Credential attempts per window from one client IP.");

namespace bitcontent::gateway {
namespace {

// Bounds that keep a typo from disabling a protection or exhausting the machine.
constexpr uint32_t kThreadsMax = 256;
constexpr uint32_t kRedisConnectionsMax = 256;
constexpr uint64_t kBodyBytesMax = uint64_t{64} << 20;

absl::Status InRange(const char* flag, uint64_t value, uint64_t low, uint64_t high) {
  if (value >= low && value <= high) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, "=", value, " is out of range [", low, ", ", high, "]"));
}

}  // namespace

absl::StatusOr<GatewayConfig> ConfigFromFlags() {
  const struct {
    const char* name;
    uint64_t value, low, high;
  } checks[] = {
      {"rest_io_threads", absl::GetFlag(FLAGS_rest_io_threads), 0, kThreadsMax},
      {"redis_timeout_ms", absl::GetFlag(FLAGS_redis_timeout_ms), 1, 60000},
      {"redis_connections", absl::GetFlag(FLAGS_redis_connections), 1, kRedisConnectionsMax},
      {"key_refresh_interval_ms", absl::GetFlag(FLAGS_key_refresh_interval_ms), 1000, 86400000},
      {"request_body_bytes_max", absl::GetFlag(FLAGS_request_body_bytes_max), 1, kBodyBytesMax},
      {"backend_timeout_ms", absl::GetFlag(FLAGS_backend_timeout_ms), 1, 600000},
      {"rate_limit_window_ms", absl::GetFlag(FLAGS_rate_limit_window_ms), 1000, 86400000},
      {"rate_limit_principal_requests", absl::GetFlag(FLAGS_rate_limit_principal_requests), 1,
       UINT32_MAX},
      {"rate_limit_ip_requests", absl::GetFlag(FLAGS_rate_limit_ip_requests), 1, UINT32_MAX},
      {"rate_limit_chunk_requests", absl::GetFlag(FLAGS_rate_limit_chunk_requests), 1, UINT32_MAX},
      {"credential_limit_window_ms", absl::GetFlag(FLAGS_credential_limit_window_ms), 1000,
       86400000},
      {"credential_limit_email_attempts", absl::GetFlag(FLAGS_credential_limit_email_attempts), 1,
       UINT32_MAX},
      {"credential_limit_ip_attempts", absl::GetFlag(FLAGS_credential_limit_ip_attempts), 1,
       UINT32_MAX},
  };
  for (const auto& check : checks) {
    if (absl::Status status = InRange(check.name, check.value, check.low, check.high);
        !status.ok()) {
      return status;
    }
  }
  GatewayConfig config;
  config.public_rest_address = absl::GetFlag(FLAGS_public_rest_address);
  config.public_grpc_address = absl::GetFlag(FLAGS_public_grpc_address);
  config.rest_io_threads = static_cast<int>(absl::GetFlag(FLAGS_rest_io_threads));
  if (config.rest_io_threads == 0) {
    config.rest_io_threads =
        static_cast<int>(std::clamp<unsigned>(std::thread::hardware_concurrency(), 1, kThreadsMax));
  }
  config.redis_address = absl::GetFlag(FLAGS_redis_address);
  absl::StatusOr<std::vector<Cidr>> trusted = ParseCidrs(absl::GetFlag(FLAGS_trusted_proxies));
  if (!trusted.ok()) return trusted.status();
  config.trusted_proxies = *std::move(trusted);
  config.redis_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_redis_timeout_ms));
  config.redis_connections = static_cast<int>(absl::GetFlag(FLAGS_redis_connections));
  config.key_refresh_interval = absl::Milliseconds(absl::GetFlag(FLAGS_key_refresh_interval_ms));
  config.rest.request_body_bytes_max = absl::GetFlag(FLAGS_request_body_bytes_max);
  config.rest.backend_timeout = absl::Milliseconds(absl::GetFlag(FLAGS_backend_timeout_ms));
  config.rest.cors_allowed_origins = absl::GetFlag(FLAGS_cors_allowed_origins);
  config.rest.blobs_local_files = absl::GetFlag(FLAGS_blobs_local_files);
  config.limits.window = absl::Milliseconds(absl::GetFlag(FLAGS_rate_limit_window_ms));
  config.limits.principal_requests = absl::GetFlag(FLAGS_rate_limit_principal_requests);
  config.limits.ip_requests = absl::GetFlag(FLAGS_rate_limit_ip_requests);
  config.limits.chunk_requests = absl::GetFlag(FLAGS_rate_limit_chunk_requests);
  config.limits.credential_window =
      absl::Milliseconds(absl::GetFlag(FLAGS_credential_limit_window_ms));
  config.limits.credential_email_attempts = absl::GetFlag(FLAGS_credential_limit_email_attempts);
  config.limits.credential_ip_attempts = absl::GetFlag(FLAGS_credential_limit_ip_attempts);
  return config;
}

}  // namespace bitcontent::gateway
