// Small helpers shared by the http server tests: client options aimed at a running
// server, and request builders.
#pragma once

#include <string>
#include <utility>

#include "absl/time/time.h"
#include "libs/http/client.h"
#include "libs/http/server.h"

namespace bitcontent::http::testing {

inline ClientOptions ClientFor(const Server& server, absl::Duration timeout = absl::Seconds(5)) {
  ClientOptions options;
  options.host = "127.0.0.1";
  options.port = server.port();
  options.timeout = timeout;
  return options;
}

inline ClientRequest Request(std::string method, std::string target, std::string body = "") {
  ClientRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  return request;
}

inline ClientRequest Get(std::string target) { return Request("GET", std::move(target)); }

}  // namespace bitcontent::http::testing
