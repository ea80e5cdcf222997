// The one error shape of the public REST API, and the one table from gRPC status codes
// to HTTP statuses. Every error the gateway answers — its own (401, 404, 413, 429...)
// and those of the services behind it — goes through ErrorResponse:
//
//   {"code": 16, "message": "token expired", "details": [{"@type":
//    "type.googleapis.com/bitcontent.common.v1.ErrorDetails", "reason":
//    "ERROR_REASON_TOKEN_EXPIRED", ...}], "request_id": "4f1c..."}
//
// `code` is the gRPC code number, `details` holds the common.v1.ErrorDetails the
// service attached (or the gateway made), and `request_id` is the X-Request-Id.
#pragma once

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bitcontent/common/v1/errors.pb.h"
#include "libs/http/response.h"

namespace bitcontent::gateway {

// The HTTP status for a gRPC code: INVALID_ARGUMENT, FAILED_PRECONDITION and
// OUT_OF_RANGE 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404,
// ALREADY_EXISTS and ABORTED 409, RESOURCE_EXHAUSTED 429, CANCELLED 499, UNIMPLEMENTED
// 501, UNAVAILABLE 503, DEADLINE_EXCEEDED 504, the rest 500.
int HttpStatusOf(absl::StatusCode code);

struct ErrorOptions {
  // Machine-readable details; when unset, those of the status (or none but the request id).
  std::optional<common::v1::ErrorDetails> details = {};
  // Overrides the table, for the few answers HTTP has a better status for (413).
  int http_status = 0;
};

// The challenge of every 401 (RFC 7235 requires one), made more precise where the
// gateway knows why (gatekeeper.cc).
inline constexpr absl::string_view kBearerRealm = "Bearer realm=\"bitcontent\"";

// The error response for `status` (not OK). Its `details` always hold one ErrorDetails:
// options.details, else the ErrorDetails `status` carries (kit::FieldError's field
// violations), else an empty one; with the request id added. Adds Retry-After (whole
// seconds, rounded up) when the details carry retry_after_ms, and WWW-Authenticate
// (kBearerRealm) to a 401, also one a service behind the gateway decided.
http::Response ErrorResponse(const absl::Status& status, absl::string_view request_id,
                             ErrorOptions options = {});

// The HTTP server's own answers (malformed requests, headers or bodies too large) in the
// one error shape, with a new request id in the body and in X-Request-Id; for
// http::ServerOptions::error_response.
http::Response ServerErrorResponse(int http_status, absl::StatusCode code,
                                   std::string_view message);

// ErrorDetails with just a reason.
common::v1::ErrorDetails DetailsWithReason(common::v1::ErrorReason reason);

}  // namespace bitcontent::gateway
