#include "services/gateway/cors.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/http/absl_string.h"

namespace bitcontent::gateway {
namespace {

// Headers a browser script may read from our answers.
constexpr char kExposedHeaders[] = "X-Request-Id, Retry-After, WWW-Authenticate";
// Request headers a browser script may send.
constexpr char kAllowedHeaders[] =
    "Authorization, Content-Type, X-Request-Id, Idempotency-Key, Bitcontent-Grant, "
    "Bitcontent-Chunk-Hash";

}  // namespace

CorsPolicy::CorsPolicy(absl::string_view allowed_origins) {
  for (absl::string_view origin : absl::StrSplit(allowed_origins, ',', absl::SkipWhitespace())) {
    origin = absl::StripAsciiWhitespace(origin);
    if (origin == "*") {
      any_origin_ = true;
    } else {
      origins_.emplace_back(origin);
    }
  }
}

bool CorsPolicy::IsPreflight(const http::Request& request) {
  return request.method == "OPTIONS" && request.headers.Has("Origin") &&
         request.headers.Has("Access-Control-Request-Method");
}

bool CorsPolicy::Allows(absl::string_view origin) const {
  if (origin.empty()) return false;
  return any_origin_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

void CorsPolicy::Decorate(const http::Request& request, http::Response& response) const {
  const std::optional<std::string_view> origin = request.Header("Origin");
  if (!origin.has_value() || !Allows(http::ToAbsl(*origin))) return;
  if (any_origin_) {
    response.headers.Set("Access-Control-Allow-Origin", "*");
  } else {
    response.headers.Set("Access-Control-Allow-Origin", std::string(*origin));
    response.headers.Add("Vary", "Origin");
  }
  response.headers.Set("Access-Control-Expose-Headers", kExposedHeaders);
}

bool CorsPolicy::DecoratePreflight(const http::Request& request, absl::string_view allowed_methods,
                                   http::Response& response) const {
  const std::optional<std::string_view> origin = request.Header("Origin");
  if (!origin.has_value() || !Allows(http::ToAbsl(*origin))) return false;
  Decorate(request, response);
  response.headers.Set("Access-Control-Allow-Methods", std::string(allowed_methods));
  response.headers.Set("Access-Control-Allow-Headers", kAllowedHeaders);
  response.headers.Set("Access-Control-Max-Age", absl::StrCat(kPreflightMaxAgeSeconds));
  return true;
}

}  // namespace bitcontent::gateway
