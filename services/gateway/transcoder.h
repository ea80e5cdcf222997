// Transcoder: REST <-> gRPC for one route, by the proto3 JSON mapping. It builds the
// request message of the route's method from the JSON body (when the route takes one),
// the path parameters (route bindings, e.g. name = "users/{user}", or a field inside a
// message field, price.name = "nodes/{node}/price") and the query parameters (scalar and
// timestamp fields by JSON or proto name, those inside message fields by dotted names:
// timeRange.startTime=2026-12-01T00:00:00Z), and renders the response message as JSON
// (camelCase names, int64 as strings, bytes as base64).
//
// Messages are made from the generated descriptor pool by name, so a route needs no
// generated stub or hand-written handler. Unknown JSON fields and query parameters are
// refused with INVALID_ARGUMENT naming them: a typo must not silently do nothing.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "libs/http/request.h"
#include "services/gateway/route.h"

namespace bitcontent::gateway {

class Transcoder {
 public:
  // Longest value a path parameter may have.
  static constexpr size_t kPathValueBytesMax = 256;

  // The transcoder of `route`, whose rpc must be a unary method in the generated pool
  // and whose bindings must name top-level string fields of its request. An error names
  // what is wrong with the route (a mistake in the table).
  static absl::StatusOr<Transcoder> ForRoute(const Route& route);

  // The request message for `request` (its body, path parameters and query).
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ParseRequest(
      const http::Request& request) const;

  // An empty message of the method's output type.
  std::unique_ptr<google::protobuf::Message> NewResponse() const;

  // `response` as JSON.
  static absl::StatusOr<std::string> RenderJson(const google::protobuf::Message& response);

  const google::protobuf::MethodDescriptor& method() const { return *method_; }

 private:
  Transcoder(const Route& route, const google::protobuf::MethodDescriptor* method,
             const google::protobuf::Message* request_prototype,
             const google::protobuf::Message* response_prototype)
      : route_(&route),
        method_(method),
        request_prototype_(request_prototype),
        response_prototype_(response_prototype) {}

  absl::Status ApplyBindings(const http::Request& request,
                             google::protobuf::Message& message) const;

  const Route* route_;
  const google::protobuf::MethodDescriptor* method_;
  const google::protobuf::Message* request_prototype_;
  const google::protobuf::Message* response_prototype_;
};

// Sets the field of `message` named `name` (proto or JSON name; "a.b" for field b of the
// message field a, made when missing) from the text `value`: strings as they are,
// numbers and booleans parsed, enums by name or number, timestamps in RFC 3339; a
// repeated field gets `value` appended. INVALID_ARGUMENT naming the field otherwise.
absl::Status SetFieldFromText(google::protobuf::Message& message, absl::string_view name,
                              absl::string_view value);

}  // namespace bitcontent::gateway
