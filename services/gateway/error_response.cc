#include "services/gateway/error_response.h"

#include <google/protobuf/any.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "libs/http/absl_string.h"
#include "libs/kit/error_details.h"
#include "libs/kit/request_id.h"

namespace bitcontent::gateway {

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kCancelled:
      return 499;  // The client went away; nginx's code, understood by log tools.
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:  // The request cannot work in this state;
    case absl::StatusCode::kOutOfRange:          // 412 is for HTTP's own preconditions.
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    default:
      return 500;
  }
}

common::v1::ErrorDetails DetailsWithReason(common::v1::ErrorReason reason) {
  common::v1::ErrorDetails details;
  details.set_reason(reason);
  return details;
}

http::Response ErrorResponse(const absl::Status& status, absl::string_view request_id,
                             ErrorOptions options) {
  // Every error carries one ErrorDetails, at least with the request id: the details given,
  // else those the status carries (the gateway's own field errors), else an empty one.
  common::v1::ErrorDetails details =
      options.details.has_value() ? *std::move(options.details) : kit::DetailsOf(status);
  if (details.request_id().empty()) details.set_request_id(std::string(request_id));
  const uint32_t retry_after_ms = details.retry_after_ms();
  std::string details_json;
  google::protobuf::Any any;
  any.PackFrom(details);
  if (!google::protobuf::util::MessageToJsonString(any, &details_json).ok()) details_json.clear();
  const std::string message(status.message());
  http::Response response = http::Response::Json(
      options.http_status != 0 ? options.http_status : HttpStatusOf(status.code()),
      absl::StrCat("{\"code\":", static_cast<int>(status.code()), ",\"message\":\"",
                   http::JsonEscape(message), "\",\"details\":[", details_json,
                   "],\"request_id\":\"", http::JsonEscape(std::string(request_id)), "\"}"));
  if (retry_after_ms > 0) {
    response.headers.Set("Retry-After", absl::StrCat((retry_after_ms + 999) / 1000));
  }
  if (response.status == 401) response.headers.Set("WWW-Authenticate", std::string(kBearerRealm));
  return response;
}

http::Response ServerErrorResponse(int http_status, absl::StatusCode code,
                                   std::string_view message) {
  const std::string request_id = kit::NewRequestId();
  http::Response response = ErrorResponse(absl::Status(code, http::ToAbsl(message)), request_id,
                                          {.http_status = http_status});
  response.headers.Set("X-Request-Id", request_id);
  return response;
}

}  // namespace bitcontent::gateway
