// The client's own behaviour: deadlines, refused connections, Fetch closing its
// connection, reconnecting after the server closed one, bodies of every size.
#include "libs/http/client.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/http/server.h"
#include "tests/unit/http/http_test_util.h"
#include "tests/unit/http/raw_socket.h"

namespace bitcontent::http {
namespace {

using testing::ClientFor;
using testing::Get;

TEST_CASE("http client times out against a server that never answers", "[http][client]") {
  testing::RawListener silent;
  REQUIRE(silent.port() != 0);
  ClientOptions options;
  options.port = silent.port();
  options.timeout = absl::Milliseconds(300);

  const auto start = std::chrono::steady_clock::now();
  const absl::Status status = Fetch(options, Get("/x")).status();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(status.code() == absl::StatusCode::kDeadlineExceeded);
  CHECK_THAT(std::string(status.message()), Catch::Contains(absl::StrCat(silent.port())));
  CHECK(elapsed >= std::chrono::milliseconds(250));
  CHECK(elapsed < std::chrono::seconds(3));
}

TEST_CASE("http client reports a refused connection", "[http][client]") {
  ClientOptions options;
  options.port = testing::UnusedPort();
  REQUIRE(options.port != 0);
  const absl::Status status = Fetch(options, Get("/x")).status();
  CHECK(status.code() == absl::StatusCode::kUnavailable);
  CHECK_THAT(std::string(status.message()), Catch::Contains(absl::StrCat(":", options.port)));
}

TEST_CASE("http fetch asks the server to close the connection", "[http][client]") {
  Server server;
  server.Route("GET", "/connection", [](const http::Request& request) {
    return Response::Text(200, std::string(request.Header("connection").value_or("none")));
  });
  REQUIRE(server.Start().ok());

  absl::StatusOr<ClientResponse> response = Fetch(ClientFor(server), Get("/connection"));
  REQUIRE(response.ok());
  CHECK(response->body == "close");
}

TEST_CASE("http client reconnects after the server closed its connection", "[http][client]") {
  Server server;
  server.Route("GET", "/peer",
               [](const http::Request& request) { return Response::Text(200, request.peer); });
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  ClientRequest closing = Get("/peer");
  closing.headers.Add("Connection", "close");
  absl::StatusOr<ClientResponse> first = client.Send(closing);
  REQUIRE(first.ok());
  CHECK_FALSE(client.connected());

  absl::StatusOr<ClientResponse> second = client.Send(Get("/peer"));
  REQUIRE(second.ok());
  CHECK(client.connected());
  CHECK(second->body != first->body);  // A new connection, so a new client port.
}

TEST_CASE("http client sends again on a new connection when the server closed an idle one",
          "[http][client]") {
  // The server drops idle connections after 200 ms; the client does not know until it
  // sends on one (as a CLI does after waiting out a 429's Retry-After).
  Server server(ServerOptions{.idle_timeout = absl::Milliseconds(200)});
  int served = 0;
  server.Route("GET", "/peer", [&served](const http::Request& request) {
    ++served;
    return Response::Text(200, request.peer);
  });
  REQUIRE(server.Start().ok());
  Client client(ClientFor(server));
  absl::StatusOr<ClientResponse> first = client.Send(Get("/peer"));
  REQUIRE(first.ok());
  REQUIRE(client.connected());
  absl::SleepFor(absl::Milliseconds(600));
  absl::StatusOr<ClientResponse> second = client.Send(Get("/peer"));
  INFO(second.status().ToString());
  REQUIRE(second.ok());
  CHECK(second->body != first->body);  // A new connection.
  CHECK(served == 2);                  // Answered once each.
}

TEST_CASE("http client reads large bodies whole, keeps the connection, and enforces its limit",
          "[http][client]") {
  // Larger than any socket buffer, so the body arrives over many reads; not a multiple
  // of a page or of 64 KiB.
  std::string big(3 * (1 << 20) + 12345, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 + i / 4096);
  Server server;
  server.Route("GET", "/big", [&](const http::Request&) { return Response::Text(200, big); });
  server.Route("GET", "/empty", [](const http::Request&) { return Response::Text(200, ""); });
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  for (const char* target : {"/big", "/empty", "/big"}) {
    INFO(target);
    absl::StatusOr<ClientResponse> got = client.Send(Get(target));
    REQUIRE(got.ok());
    CHECK(got->status == 200);
    CHECK(got->body == (std::string(target) == "/big" ? big : ""));
    CHECK(client.connected());
  }

  ClientOptions small = ClientFor(server);
  small.response_body_bytes_max = big.size() - 1;
  Client limited(small);
  const absl::Status refused = limited.Send(Get("/big")).status();
  CHECK(refused.code() == absl::StatusCode::kResourceExhausted);
  CHECK_THAT(std::string(refused.message()), Catch::Contains(absl::StrCat(big.size() - 1)));
  CHECK_FALSE(limited.connected());
  server.Stop();
}

TEST_CASE("http client reads a successful body into the caller's buffer, and others as usual",
          "[http][client]") {
  std::string big((1 << 20) + 777, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + i / 4096);
  Server server;
  server.Route("GET", "/big", [&](const http::Request&) { return Response::Text(200, big); });
  server.Route("GET", "/missing",
               [](const http::Request&) { return Response::Text(404, "no such thing"); });
  REQUIRE(server.Start().ok());
  Client client(ClientFor(server));
  std::vector<char> buffer(big.size() + 100, 'x');

  ClientRequest fits = Get("/big");
  fits.body_buffer = absl::MakeSpan(buffer);
  absl::StatusOr<ClientResponse> got = client.Send(fits);
  REQUIRE(got.ok());
  CHECK(got->status == 200);
  CHECK(got->body.empty());
  REQUIRE(got->body_buffer_bytes == big.size());
  CHECK(std::string(buffer.data(), big.size()) == big);
  CHECK(buffer[big.size()] == 'x');  // nothing past the body is touched

  // An error's body, or one larger than the buffer, comes in `body` as always.
  ClientRequest error = Get("/missing");
  error.body_buffer = absl::MakeSpan(buffer);
  got = client.Send(error);
  REQUIRE(got.ok());
  CHECK(got->status == 404);
  CHECK_FALSE(got->body_buffer_bytes.has_value());
  CHECK(got->body == "no such thing");

  ClientRequest too_big = Get("/big");
  too_big.body_buffer = absl::MakeSpan(buffer.data(), big.size() - 1);
  got = client.Send(too_big);
  REQUIRE(got.ok());
  CHECK_FALSE(got->body_buffer_bytes.has_value());
  CHECK(got->body == big);
  CHECK(client.connected());
  server.Stop();
}

}  // namespace
}  // namespace bitcontent::http
