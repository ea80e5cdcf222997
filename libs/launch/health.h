// Health probes a launcher uses to know a process is ready: grpc.health.v1 Check over
// gRPC, and a Redis PING over a plain TCP connection.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace bitcontent::launch {

// One grpc.health.v1 Check of the whole server (service ""). OK only for SERVING;
// otherwise a status naming what was seen.
absl::Status CheckGrpcHealth(const std::string& target, absl::Duration timeout);

// One Redis PING; OK only for +PONG.
absl::Status PingRedis(const std::string& host, int port, absl::Duration timeout);

}  // namespace bitcontent::launch
