// The one REST error shape and the gRPC code -> HTTP status table.
#include "services/gateway/error_response.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <catch2/catch.hpp>

#include "libs/kit/error_details.h"

namespace bitcontent::gateway {
namespace {

google::protobuf::Struct ParseJson(const std::string& json) {
  google::protobuf::Struct parsed;
  REQUIRE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok());
  return parsed;
}

TEST_CASE("gateway maps every gRPC code to one HTTP status", "[gateway][errors]") {
  CHECK(HttpStatusOf(absl::StatusCode::kOk) == 200);
  CHECK(HttpStatusOf(absl::StatusCode::kInvalidArgument) == 400);
  CHECK(HttpStatusOf(absl::StatusCode::kFailedPrecondition) == 400);
  CHECK(HttpStatusOf(absl::StatusCode::kOutOfRange) == 400);
  CHECK(HttpStatusOf(absl::StatusCode::kUnauthenticated) == 401);
  CHECK(HttpStatusOf(absl::StatusCode::kPermissionDenied) == 403);
  CHECK(HttpStatusOf(absl::StatusCode::kNotFound) == 404);
  CHECK(HttpStatusOf(absl::StatusCode::kAlreadyExists) == 409);
  CHECK(HttpStatusOf(absl::StatusCode::kAborted) == 409);
  CHECK(HttpStatusOf(absl::StatusCode::kResourceExhausted) == 429);
  CHECK(HttpStatusOf(absl::StatusCode::kCancelled) == 499);
  CHECK(HttpStatusOf(absl::StatusCode::kUnimplemented) == 501);
  CHECK(HttpStatusOf(absl::StatusCode::kUnavailable) == 503);
  CHECK(HttpStatusOf(absl::StatusCode::kDeadlineExceeded) == 504);
  CHECK(HttpStatusOf(absl::StatusCode::kInternal) == 500);
  CHECK(HttpStatusOf(absl::StatusCode::kDataLoss) == 500);
  CHECK(HttpStatusOf(absl::StatusCode::kUnknown) == 500);
}

TEST_CASE("gateway error response has code, message, details and request id", "[gateway][errors]") {
  http::Response plain = ErrorResponse(absl::NotFoundError("no user \"x\""), "req-1");
  CHECK(plain.status == 404);
  CHECK(plain.content_type == "application/json");
  google::protobuf::Struct body = ParseJson(plain.body);
  CHECK(body.fields().at("code").number_value() == 5);
  CHECK(body.fields().at("message").string_value() == "no user \"x\"");
  // Every error has one ErrorDetails, at least with the request id.
  REQUIRE(body.fields().at("details").list_value().values_size() == 1);
  const auto& plain_detail = body.fields().at("details").list_value().values(0).struct_value();
  CHECK(plain_detail.fields().at("requestId").string_value() == "req-1");
  CHECK(plain_detail.fields().count("reason") == 0);
  CHECK(body.fields().at("request_id").string_value() == "req-1");
  CHECK_FALSE(plain.headers.Has("Retry-After"));
  CHECK_FALSE(plain.headers.Has("WWW-Authenticate"));
  // A 401 always says how to authenticate, also when a service behind decided it.
  CHECK(ErrorResponse(absl::UnauthenticatedError("grant expired"), "req-0")
            .headers.Get("WWW-Authenticate") == "Bearer realm=\"bitcontent\"");

  common::v1::ErrorDetails details = DetailsWithReason(common::v1::ERROR_REASON_RATE_LIMITED);
  details.set_retry_after_ms(1500);
  http::Response limited =
      ErrorResponse(absl::ResourceExhaustedError("slow down"), "req-2", {.details = details});
  CHECK(limited.status == 429);
  CHECK(limited.headers.Get("Retry-After") == "2");
  body = ParseJson(limited.body);
  const auto& detail = body.fields().at("details").list_value().values(0).struct_value();
  CHECK(detail.fields().at("@type").string_value() ==
        "type.googleapis.com/bitcontent.common.v1.ErrorDetails");
  CHECK(detail.fields().at("reason").string_value() == "ERROR_REASON_RATE_LIMITED");
  CHECK(detail.fields().at("requestId").string_value() == "req-2");

  http::Response too_large =
      ErrorResponse(absl::ResourceExhaustedError("too large"), "req-3", {.http_status = 413});
  CHECK(too_large.status == 413);
  CHECK(ParseJson(too_large.body).fields().at("code").number_value() == 8);

  // A status carrying its own details (a field error the gateway made) shows them.
  body = ParseJson(ErrorResponse(kit::FieldError("Idempotency-Key", "is too long"), "req-4").body);
  const auto& field_detail = body.fields().at("details").list_value().values(0).struct_value();
  CHECK(field_detail.fields().at("requestId").string_value() == "req-4");
  CHECK(field_detail.fields()
            .at("fieldViolations")
            .list_value()
            .values(0)
            .struct_value()
            .fields()
            .at("field")
            .string_value() == "Idempotency-Key");
}

}  // namespace
}  // namespace bitcontent::gateway
