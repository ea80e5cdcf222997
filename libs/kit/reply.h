// How service handlers end: the domain's absl::Status goes through ToGrpc (the one code
// mapping), and the common.v1.ErrorDetails the domain attached (a reason such
// as QUOTA_EXCEEDED, field violations, facts), completed with the request id, goes to
// the caller in the "bitcontent-error-details-bin" trailer, where the gateway reads it.
#pragma once

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include <map>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/common/v1/errors.pb.h"

namespace bitcontent::kit {

// The gRPC answer for `status`, with its details in the trailer when it failed.
grpc::Status Reply(grpc::ServerContextBase* context, const absl::Status& status);

// The ErrorDetails in a finished client call's trailing metadata, if any parse.
std::optional<common::v1::ErrorDetails> ErrorDetailsOf(
    const std::multimap<grpc::string_ref, grpc::string_ref>& trailing_metadata);

// The outcome of a finished client call as a Status, carrying the ErrorDetails the
// called service put in its trailer, so a service passes another's reasons on (a
// member over quota learns it from whichever service asked accounts). A call that
// failed in transport (no trailer: the service could not be reached, stopped, or did
// not answer in time) says so in words a person can act on, with retry_after_ms, never
// gRPC's (which name internal addresses); those are logged.
absl::Status FromCall(const grpc::Status& status, const grpc::ClientContext& context);

// Moves a successful result into `*response`; otherwise as above.
template <typename T, typename Response>
grpc::Status Reply(grpc::ServerContextBase* context, absl::StatusOr<T> result, Response* response) {
  if (!result.ok()) return Reply(context, result.status());
  *response = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace bitcontent::kit
