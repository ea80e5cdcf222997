// CORS for web clients: which origins may call the public REST API from a browser, the
// headers every answer to such a request carries, and the answer to preflights.
//
// Tokens travel in the Authorization header, never in cookies, so credentials mode is
// not needed and "*" (the development default of --cors_allowed_origins) is safe to
// serve; production lists its web origins instead.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "libs/http/request.h"
#include "libs/http/response.h"

namespace bitcontent::gateway {

class CorsPolicy {
 public:
  // How long a browser may cache a preflight answer.
  static constexpr int kPreflightMaxAgeSeconds = 600;

  // `allowed_origins`: "*" or a comma-separated list such as
  // "https://app.example.com,http://localhost:3000" (exact matches).
  explicit CorsPolicy(absl::string_view allowed_origins);

  // True for a browser's preflight: OPTIONS with Origin and Access-Control-Request-Method.
  static bool IsPreflight(const http::Request& request);

  // Whether a request from `origin` may read answers.
  bool Allows(absl::string_view origin) const;

  // Adds Access-Control-Allow-Origin (and Vary, Expose-Headers) to `response` when the
  // request carries an allowed Origin; leaves it alone otherwise.
  void Decorate(const http::Request& request, http::Response& response) const;

  // The headers of a successful preflight answer for a path that accepts
  // `allowed_methods` ("GET, POST"), added to `response`. Returns false (and adds
  // nothing) when the origin is not allowed.
  bool DecoratePreflight(const http::Request& request, absl::string_view allowed_methods,
                         http::Response& response) const;

 private:
  bool any_origin_ = false;
  std::vector<std::string> origins_;
};

}  // namespace bitcontent::gateway
