// Request: one HTTP request as a handler sees it, fully read and decoded.
//
// The server builds a Request after the whole body has arrived (bounded by
// ServerOptions::request_body_bytes_max) and passes it to the route's handler by const
// reference; it lives until the handler returns. Streaming bodies (large uploads) will
// come as a separate kind of handler, so this type stays a plain value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "libs/http/headers.h"
#include "libs/http/url.h"

namespace bitcontent::http {

struct Request {
  std::string method;     // As sent, e.g. "GET"; methods are case-sensitive.
  std::string target;     // The raw request target, e.g. "/v1/files/a%20b?x=1".
  std::string path;       // The path part of `target`, still percent-encoded.
  Params query;           // Decoded query parameters, in order; names may repeat.
  Params path_params;     // Decoded values of the route's {name} segments.
  Headers headers;        // Request header fields.
  std::string body;       // The whole body; empty when there was none.
  std::string peer;       // The client's address, "ip:port" ("[ip]:port" for IPv6).
  unsigned version = 11;  // 10 for HTTP/1.0, 11 for HTTP/1.1.

  // Returns the first header called `name` (any case), or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }

  // Returns the first decoded query parameter called `name`, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const {
    return FindParam(query, name);
  }

  // Returns the decoded value of the route parameter `name` ("id" for "/files/{id}"), or
  // an empty view if the route has no such parameter.
  std::string_view PathParam(std::string_view name) const {
    return FindParam(path_params, name).value_or(std::string_view());
  }
};

}  // namespace bitcontent::http
