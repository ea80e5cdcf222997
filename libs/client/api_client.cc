#include "libs/client/api_client.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace bitcontent::client {
namespace {

// The gateway's error body {"code": <gRPC code>, "message": "...", ...} as a Status.
absl::Status ErrorFromBody(int http_status, const std::string& body) {
  google::protobuf::Struct error;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (google::protobuf::util::JsonStringToMessage(body, &error, options).ok()) {
    const auto& fields = error.fields();
    auto code = fields.find("code");
    auto message = fields.find("message");
    if (code != fields.end() && message != fields.end() && code->second.number_value() > 0 &&
        code->second.number_value() <= 16) {
      absl::Status status(static_cast<absl::StatusCode>(code->second.number_value()),
                          message->second.string_value());
      // The reason of the ErrorDetails, for callers that act on it (ErrorReasonOf).
      auto details = fields.find("details");
      if (details != fields.end()) {
        for (const google::protobuf::Value& detail : details->second.list_value().values()) {
          auto reason = detail.struct_value().fields().find("reason");
          if (reason != detail.struct_value().fields().end() &&
              !reason->second.string_value().empty()) {
            status.SetPayload(kErrorReasonPayload, absl::Cord(reason->second.string_value()));
          }
          // Its facts too (ErrorFactOf), such as the amounts of a shortfall.
          auto metadata = detail.struct_value().fields().find("metadata");
          if (metadata != detail.struct_value().fields().end()) {
            for (const auto& [key, value] : metadata->second.struct_value().fields()) {
              status.SetPayload(absl::StrCat(kErrorFactPayloadPrefix, key),
                                absl::Cord(value.string_value()));
            }
          }
        }
      }
      return status;
    }
  }
  return absl::UnknownError(
      absl::StrCat("the server answered HTTP ", http_status, ": ", body.substr(0, 200)));
}

}  // namespace

std::optional<std::string> ErrorFactOf(const absl::Status& status, absl::string_view key) {
  const auto payload = status.GetPayload(absl::StrCat(kErrorFactPayloadPrefix, key));
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

common::v1::ErrorReason ErrorReasonOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kErrorReasonPayload);
  common::v1::ErrorReason reason = common::v1::ERROR_REASON_UNSPECIFIED;
  if (payload.has_value()) common::v1::ErrorReason_Parse(std::string(*payload), &reason);
  return reason;
}

absl::StatusOr<ServerAddress> ParseServer(absl::string_view server) {
  absl::string_view rest = server;
  if (absl::StartsWith(rest, "https://")) {
    return absl::InvalidArgumentError(
        "https:// servers are not supported by this client yet; use http:// on a trusted "
        "network or through a local TLS-terminating proxy");
  }
  if (absl::StartsWith(rest, "http://")) rest.remove_prefix(7);
  while (absl::EndsWith(rest, "/")) rest.remove_suffix(1);
  const size_t colon = rest.rfind(':');
  uint32_t port = 0;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(rest.substr(colon + 1), &port) ||
      port == 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "server '", server, "' is not of the form http://host:port (e.g. http://127.0.0.1:7700)"));
  }
  if (colon == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("server '", server, "' names no host (e.g. http://127.0.0.1:7700)"));
  }
  return ServerAddress{.host = std::string(rest.substr(0, colon)),
                       .port = static_cast<uint16_t>(port)};
}

absl::StatusOr<std::unique_ptr<ApiClient>> ApiClient::Connect(absl::string_view server,
                                                              absl::Duration timeout) {
  absl::StatusOr<ServerAddress> address = ParseServer(server);
  if (!address.ok()) return address.status();
  http::ClientOptions options;
  options.host = address->host;
  options.port = address->port;
  options.timeout = timeout;
  return std::unique_ptr<ApiClient>(
      new ApiClient(absl::StrCat("http://", address->host, ":", address->port), options));
}

absl::StatusOr<http::ClientResponse> ApiClient::Send(http::ClientRequest request,
                                                     absl::string_view bearer) {
  if (!bearer.empty()) request.headers.Set("Authorization", absl::StrCat("Bearer ", bearer));
  absl::StatusOr<http::ClientResponse> answer = http_.Send(request);
  // Over the rate limit, the gateway refused the request before doing anything of it, so
  // sending it again after the wait it names is always safe: a long put of many small
  // files slows down instead of failing halfway.
  // Sign-in attempts are limited apart (failed logins): there the answer is for the
  // person at the keyboard, at once.
  absl::Duration waited;
  const bool signs_in = absl::StartsWith(request.target, "/v1/accounts:");
  const auto rate_limited = [](const http::ClientResponse& response) {
    // 429 is also what a full quota answers (RESOURCE_EXHAUSTED): only the rate limit's
    // reason is waited out.
    return response.status == 429 && ErrorReasonOf(ErrorFromBody(response.status, response.body)) ==
                                         common::v1::ERROR_REASON_RATE_LIMITED;
  };
  while (answer.ok() && !signs_in && rate_limited(*answer) && waited < kRateLimitedWaitMax) {
    int64_t seconds = 1;
    if (std::optional<std::string_view> after = answer->Header("Retry-After")) {
      if (!absl::SimpleAtoi(absl::string_view(after->data(), after->size()), &seconds)) seconds = 1;
    }
    const absl::Duration wait = absl::Seconds(std::clamp<int64_t>(seconds, 1, 60));
    if (waited + wait > kRateLimitedWaitMax) break;
    absl::SleepFor(wait);
    waited += wait;
    answer = http_.Send(request);
  }
  if (!answer.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot reach ", server_, ": ", answer.status().message()));
  }
  if (answer->status < 200 || answer->status >= 300) {
    return ErrorFromBody(answer->status, answer->body);
  }
  return answer;
}

absl::StatusOr<std::string> ApiClient::Exchange(http::ClientRequest request,
                                                absl::string_view bearer) {
  absl::StatusOr<http::ClientResponse> answer = Send(std::move(request), bearer);
  if (!answer.ok()) return answer.status();
  return std::move(answer->body);
}

absl::StatusOr<size_t> ApiClient::GetBytes(absl::string_view path, const http::Headers& headers,
                                           absl::Span<char> into, absl::string_view bearer) {
  http::ClientRequest request;
  request.target = std::string(path);
  request.headers = headers;
  request.body_buffer = into;
  absl::StatusOr<http::ClientResponse> answer = Send(std::move(request), bearer);
  if (!answer.ok()) return answer.status();
  if (answer->body_buffer_bytes.has_value()) return *answer->body_buffer_bytes;
  // Sent without a length, or longer than `into`.
  if (answer->body.size() > into.size()) {
    return absl::DataLossError(absl::StrCat("the answer to GET ", path, " is ", answer->body.size(),
                                            " bytes, more than the ", into.size(), " expected"));
  }
  std::memcpy(into.data(), answer->body.data(), answer->body.size());
  return answer->body.size();
}

absl::Status ApiClient::Call(absl::string_view method, absl::string_view path,
                             const google::protobuf::Message* request,
                             google::protobuf::Message* response, absl::string_view bearer,
                             const http::Headers& headers) {
  http::ClientRequest http_request;
  http_request.method = std::string(method);
  http_request.target = std::string(path);
  http_request.headers = headers;
  if (request != nullptr) {
    if (!google::protobuf::util::MessageToJsonString(*request, &http_request.body).ok()) {
      return absl::InternalError("cannot encode the request as JSON");
    }
    http_request.headers.Set("Content-Type", "application/json");
  }
  absl::StatusOr<std::string> body = Exchange(std::move(http_request), bearer);
  if (!body.ok()) return body.status();
  if (response == nullptr) return absl::OkStatus();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // Newer servers may add fields.
  if (!google::protobuf::util::JsonStringToMessage(*body, response, options).ok()) {
    return absl::DataLossError(
        absl::StrCat("the server's answer to ", method, " ", path, " is not the expected JSON"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ApiClient::CallBytes(absl::string_view method, absl::string_view path,
                                                 const http::Headers& headers, std::string body,
                                                 absl::string_view bearer) {
  http::ClientRequest http_request;
  http_request.method = std::string(method);
  http_request.target = std::string(path);
  http_request.headers = headers;
  if (!body.empty() || method == "PUT" || method == "POST") {
    http_request.headers.Set("Content-Type", "application/octet-stream");
  }
  http_request.body = std::move(body);
  return Exchange(std::move(http_request), bearer);
}

}  // namespace bitcontent::client
