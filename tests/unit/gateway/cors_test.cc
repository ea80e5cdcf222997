// CORS: which origins get Access-Control-* headers, and preflight answers.
#include "services/gateway/cors.h"

#include <catch2/catch.hpp>

namespace bitcontent::gateway {
namespace {

http::Request FromOrigin(std::string origin, std::string method = "GET") {
  http::Request request;
  request.method = std::move(method);
  request.headers.Add("Origin", std::move(origin));
  return request;
}

TEST_CASE("gateway CORS with '*' lets any origin read answers and their headers",
          "[gateway][cors]") {
  const CorsPolicy any("*");
  http::Response response;
  any.Decorate(FromOrigin("https://app.example.com"), response);
  CHECK(response.headers.Get("Access-Control-Allow-Origin") == "*");
  const std::string exposed(response.headers.Get("Access-Control-Expose-Headers").value_or(""));
  CHECK(exposed.find("X-Request-Id") != std::string::npos);
  CHECK(exposed.find("Retry-After") != std::string::npos);

  // No Origin, no CORS headers: not a browser's cross-origin request.
  http::Response plain;
  any.Decorate(http::Request(), plain);
  CHECK(plain.headers.empty());
}

TEST_CASE("gateway CORS with a list echoes allowed origins only", "[gateway][cors]") {
  const CorsPolicy listed("https://app.example.com, http://localhost:3000");
  http::Response allowed;
  listed.Decorate(FromOrigin("http://localhost:3000"), allowed);
  CHECK(allowed.headers.Get("Access-Control-Allow-Origin") == "http://localhost:3000");
  CHECK(allowed.headers.Get("Vary") == "Origin");

  http::Response refused;
  listed.Decorate(FromOrigin("https://evil.example.com"), refused);
  CHECK_FALSE(refused.headers.Has("Access-Control-Allow-Origin"));
}

TEST_CASE("gateway CORS answers preflights with methods, headers and max age", "[gateway][cors]") {
  const CorsPolicy listed("https://app.example.com");
  http::Request preflight = FromOrigin("https://app.example.com", "OPTIONS");
  preflight.headers.Add("Access-Control-Request-Method", "POST");
  REQUIRE(CorsPolicy::IsPreflight(preflight));
  CHECK_FALSE(CorsPolicy::IsPreflight(FromOrigin("https://app.example.com", "OPTIONS")));

  http::Response response;
  REQUIRE(listed.DecoratePreflight(preflight, "GET, HEAD, POST", response));
  CHECK(response.headers.Get("Access-Control-Allow-Methods") == "GET, HEAD, POST");
  const std::string headers(response.headers.Get("Access-Control-Allow-Headers").value_or(""));
  CHECK(headers.find("Authorization") != std::string::npos);
  CHECK(headers.find("Content-Type") != std::string::npos);
  CHECK(response.headers.Get("Access-Control-Max-Age") == "600");

  http::Request stranger = FromOrigin("https://evil.example.com", "OPTIONS");
  stranger.headers.Add("Access-Control-Request-Method", "POST");
  http::Response refused;
  CHECK_FALSE(listed.DecoratePreflight(stranger, "POST", refused));
  CHECK(refused.headers.empty());
}

}  // namespace
}  // namespace bitcontent::gateway
