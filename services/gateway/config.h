// The gateway's configuration, read once from its flags (each also settable as a
// BITCONTENT_<FLAG> environment variable, see libs/kit/flags.h). Every limit the
// gateway enforces is one of these flags, with a default that suits one machine.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/gateway/gatekeeper.h"
#include "services/gateway/rest_gateway.h"

namespace bitcontent::gateway {

struct GatewayConfig {
  std::string public_rest_address = {};
  std::string public_grpc_address = {};
  int rest_io_threads = 0;
  std::string redis_address = {};
  absl::Duration redis_timeout = absl::ZeroDuration();
  int redis_connections = 0;
  absl::Duration key_refresh_interval = absl::ZeroDuration();
  RestOptions rest = {};
  RateLimitConfig limits = {};
  // Peers whose X-Forwarded-For says who the client is (see client_ip.h).
  std::vector<Cidr> trusted_proxies = {};
};

// The configuration from the flags; InvalidArgument naming the flag for a value out of
// range (a zero limit, a zero window...).
absl::StatusOr<GatewayConfig> ConfigFromFlags();

}  // namespace bitcontent::gateway
