// Request ids: every call through the suite carries one in the `x-request-id` metadata
// key (the HTTP header X-Request-Id at the gateway). The edge generates it when the
// client sent none or an unusable one; every service logs it and passes it on.
#pragma once

#include <grpcpp/server_context.h>

#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::kit {

inline constexpr absl::string_view kRequestIdKey = "x-request-id";

// Longest request id accepted from a caller; a longer one is replaced.
inline constexpr size_t kRequestIdLengthMax = 128;

// A new random id: 32 lowercase hex characters (128 bits).
std::string NewRequestId();

// True when a caller-supplied id is short enough and made of [A-Za-z0-9._-] only, so it
// can be logged and echoed without escaping.
bool IsUsableRequestId(absl::string_view id);

// The request id of a call being served. The server interceptor guarantees there is
// one, so this never returns empty inside a handler.
std::string RequestIdOf(const grpc::ServerContextBase& context);

}  // namespace bitcontent::kit
