// A client of the gateway's REST API: sends protobuf request messages as JSON (the proto3
// JSON mapping the gateway speaks) and reads the answer into a response message. Errors
// come back as absl::Status with the code and message of the gateway's error body, so
// the CLI shows the server's own words, and its ErrorDetails reason as a payload. One keep-alive
// connection, not thread-safe.
#pragma once

#include <google/protobuf/message.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "bitcontent/common/v1/errors.pb.h"
#include "libs/http/client.h"

namespace bitcontent::client {

// The payload of a failed call's Status holding the name of the ErrorReason the gateway
// gave ("ERROR_REASON_PAYMENT_REQUIRED"), when it gave one.
inline constexpr absl::string_view kErrorReasonPayload = "bitcontent.common.v1.ErrorReason";

// The reason of a failed call, as the gateway's error details gave it
// (ERROR_REASON_UNSPECIFIED when there was none).
common::v1::ErrorReason ErrorReasonOf(const absl::Status& status);

// The payloads holding the facts of the error details' metadata, one per key.
inline constexpr absl::string_view kErrorFactPayloadPrefix = "bitcontent.common.v1.ErrorFact/";
// The fact `key` of a failed call's error details ("required_msat"), when given.
std::optional<std::string> ErrorFactOf(const absl::Status& status, absl::string_view key);

// How long a request over the gateway's rate limit (429) is sent again after the wait
// the gateway names, in all, before its refusal is the answer.
inline constexpr absl::Duration kRateLimitedWaitMax = absl::Minutes(2);

// A gateway's address as both tools take it: "http://host:port" or "host:port", trailing
// slashes ignored.
struct ServerAddress {
  std::string host = {};
  uint16_t port = 0;
};

// The address in `server`, or InvalidArgument saying the form it must have.
absl::StatusOr<ServerAddress> ParseServer(absl::string_view server);

class ApiClient {
 public:
  // `server` is "http://host:port" (the gateway's public REST address); a bare
  // "host:port" is accepted too.
  static absl::StatusOr<std::unique_ptr<ApiClient>> Connect(absl::string_view server,
                                                            absl::Duration timeout);

  // `method` `path` with `request` as the JSON body (nullptr: no body); parses the
  // answer into `response` (nullptr: ignore it). `bearer` is an access token or API key
  // sent as "Authorization: Bearer ..." when not empty.
  absl::Status Call(absl::string_view method, absl::string_view path,
                    const google::protobuf::Message* request, google::protobuf::Message* response,
                    absl::string_view bearer = "", const http::Headers& headers = {});

  // A route that carries bytes (file chunks): sends `body` (if any) as
  // application/octet-stream with `headers`, and returns the answer's body.
  absl::StatusOr<std::string> CallBytes(absl::string_view method, absl::string_view path,
                                        const http::Headers& headers, std::string body,
                                        absl::string_view bearer = "");
  // GET of a route that answers bytes, read into `into` (memory the caller reuses, such
  // as an aligned buffer a chunk is written to disk from); returns how many bytes came.
  // DATA_LOSS when the answer is larger than `into`.
  absl::StatusOr<size_t> GetBytes(absl::string_view path, const http::Headers& headers,
                                  absl::Span<char> into, absl::string_view bearer = "");

  const std::string& server() const { return server_; }

 private:
  ApiClient(std::string server, http::ClientOptions options)
      : server_(std::move(server)), http_(options) {}

  // Sends `request` with the bearer token; a 2xx answer, or its error.
  absl::StatusOr<http::ClientResponse> Send(http::ClientRequest request, absl::string_view bearer);
  // Send, for the body of the answer.
  absl::StatusOr<std::string> Exchange(http::ClientRequest request, absl::string_view bearer);

  const std::string server_;
  http::Client http_;
};

}  // namespace bitcontent::client
