// The one mapping between absl::Status (what domain code returns) and grpc::Status
// (what crosses the wire). Service handlers end with `return ToGrpc(result);`, clients
// turn a failed call back into absl::Status with FromGrpc.
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace bitcontent::kit {

// Same code (the two enums share their values), same message.
grpc::Status ToGrpc(const absl::Status& status);

// Same code and message; a failed call stays failed on the absl side.
absl::Status FromGrpc(const grpc::Status& status);

}  // namespace bitcontent::kit
