// Limits and malformed input: oversized bodies and headers, garbage, slow or idle peers,
// too many connections. Each must be answered (or the connection closed) without
// harming the server.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/http/client.h"
#include "libs/http/server.h"
#include "tests/unit/http/http_test_util.h"
#include "tests/unit/http/raw_socket.h"

namespace bitcontent::http {
namespace {

using testing::ClientFor;
using testing::Get;
using testing::RawSocket;

constexpr auto kReadTimeout = std::chrono::seconds(3);

Response BodySize(const http::Request& request) {
  return Response::Text(200, std::to_string(request.body.size()));
}

TEST_CASE("http server rejects an oversized body with 413 and closes", "[http][limits]") {
  ServerOptions options;
  options.request_body_bytes_max = 1024;
  Server server(options);
  server.Route("POST", "/upload", BodySize);
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  absl::StatusOr<ClientResponse> fits =
      client.Send(testing::Request("POST", "/upload", std::string(1024, 'a')));
  REQUIRE(fits.ok());
  CHECK(fits->status == 200);
  CHECK(fits->body == "1024");
  CHECK(client.connected());

  absl::StatusOr<ClientResponse> too_big =
      client.Send(testing::Request("POST", "/upload", std::string(1025, 'a')));
  REQUIRE(too_big.ok());
  CHECK(too_big->status == 413);
  CHECK(too_big->Header("connection") == "close");
  CHECK_THAT(too_big->body, Catch::StartsWith("{\"code\":8,"));
  CHECK_FALSE(client.connected());

  // Chunked bodies carry no length up front; the limit must still hold.
  RawSocket raw(server.port());
  REQUIRE(raw.ok());
  REQUIRE(raw.Send("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = absl::StrCat("200\r\n", std::string(0x200, 'b'), "\r\n");
  for (int i = 0; i < 3 && !raw.closed(); ++i) raw.Send(chunk);
  const std::string bytes = raw.ReadUntilClosed(kReadTimeout);
  CHECK_THAT(bytes, Catch::StartsWith("HTTP/1.1 413"));
  CHECK(raw.closed());

  // The server is unharmed.
  absl::StatusOr<ClientResponse> after =
      Fetch(ClientFor(server), testing::Request("POST", "/upload", "xyz"));
  REQUIRE(after.ok());
  CHECK(after->body == "3");
}

TEST_CASE("http server enforces the default 1 MiB body limit on large uploads", "[http][limits]") {
  Server server;
  server.Route("POST", "/upload", BodySize);
  REQUIRE(server.Start().ok());

  const size_t limit = server.options().request_body_bytes_max;
  REQUIRE(limit == size_t{1} << 20);
  absl::StatusOr<ClientResponse> fits =
      Fetch(ClientFor(server), testing::Request("POST", "/upload", std::string(limit, 'a')));
  REQUIRE(fits.ok());
  CHECK(fits->body == std::to_string(limit));

  // Far larger than socket buffers: the 413 must reach the client even though it is
  // still sending when the server answers.
  absl::StatusOr<ClientResponse> too_big =
      Fetch(ClientFor(server), testing::Request("POST", "/upload", std::string(8 * limit, 'a')));
  REQUIRE(too_big.ok());
  CHECK(too_big->status == 413);
}

TEST_CASE("http server drains a refused upload so a write-then-read client sees the 413",
          "[http][limits]") {
  ServerOptions options;
  options.request_body_bytes_max = 1024;
  Server server(options);
  server.Route("POST", "/upload", BodySize);
  REQUIRE(server.Start().ok());

  // This client writes the whole request before reading anything, as simple clients do.
  // Were the server to close with the body unread, the kernel would reset the
  // connection and the client would lose the answer (or fail to send).
  constexpr size_t kBodyBytes = size_t{3} << 20;
  RawSocket raw(server.port());
  REQUIRE(raw.ok());
  REQUIRE(raw.Send(absl::StrCat("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: ", kBodyBytes,
                                "\r\n\r\n")));
  CHECK(raw.Send(std::string(kBodyBytes, 'z')));
  const std::string bytes = raw.ReadUntilClosed(kReadTimeout);
  CHECK_THAT(bytes, Catch::StartsWith("HTTP/1.1 413"));
  CHECK(raw.closed());
}

TEST_CASE("http server rejects an oversized header with 431", "[http][limits]") {
  ServerOptions options;
  options.request_header_bytes_max = 2048;
  Server server(options);
  server.Route("GET", "/x", [](const http::Request&) { return Response::Text(200, "x"); });
  REQUIRE(server.Start().ok());

  ClientRequest small = Get("/x");
  small.headers.Add("X-Pad", std::string(1000, 'p'));
  absl::StatusOr<ClientResponse> fits = Fetch(ClientFor(server), small);
  REQUIRE(fits.ok());
  CHECK(fits->status == 200);

  ClientRequest large = Get("/x");
  large.headers.Add("X-Pad", std::string(4000, 'p'));
  absl::StatusOr<ClientResponse> refused = Fetch(ClientFor(server), large);
  REQUIRE(refused.ok());
  CHECK(refused->status == 431);
}

TEST_CASE("http server answers malformed requests with 400", "[http][limits]") {
  Server server;
  server.Route("GET", "/x", [](const http::Request&) { return Response::Text(200, "x"); });
  REQUIRE(server.Start().ok());

  for (const char* garbage :
       {"GARBAGE\r\n\r\n", "GET /x HTTP/9.9\r\n\r\n", "GET /x HTTP/1.1\r\nBad Header\r\n\r\n",
        "POST /x HTTP/1.1\r\nContent-Length: nope\r\n\r\n"}) {
    INFO(garbage);
    RawSocket raw(server.port());
    REQUIRE(raw.ok());
    REQUIRE(raw.Send(garbage));
    const std::string bytes = raw.ReadUntilClosed(kReadTimeout);
    CHECK_THAT(bytes, Catch::StartsWith("HTTP/1.1 400"));
    CHECK(raw.closed());
  }
  absl::StatusOr<ClientResponse> fine = Fetch(ClientFor(server), Get("/x"));
  REQUIRE(fine.ok());
  CHECK(fine->status == 200);
}

TEST_CASE("http server sends 100 Continue before reading an expected body", "[http][limits]") {
  ServerOptions options;
  options.request_body_bytes_max = 100;
  Server server(options);
  server.Route("POST", "/upload", BodySize);
  REQUIRE(server.Start().ok());

  RawSocket raw(server.port());
  REQUIRE(raw.ok());
  REQUIRE(
      raw.Send("POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
               "Content-Length: 5\r\n\r\n"));
  CHECK(raw.ReadUntil("\r\n\r\n", kReadTimeout) == "HTTP/1.1 100 Continue\r\n\r\n");
  REQUIRE(raw.Send("hello"));
  CHECK_THAT(raw.ReadUntil("\r\n\r\n5", kReadTimeout), Catch::StartsWith("HTTP/1.1 200"));

  // Too large: refused at once, without asking for the body.
  RawSocket refused(server.port());
  REQUIRE(refused.ok());
  REQUIRE(
      refused.Send("POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                   "Content-Length: 101\r\n\r\n"));
  CHECK_THAT(refused.ReadUntilClosed(kReadTimeout), Catch::StartsWith("HTTP/1.1 413"));
}

TEST_CASE("http server closes keep-alive connections after the idle timeout", "[http][limits]") {
  ServerOptions options;
  options.idle_timeout = absl::Milliseconds(200);
  options.read_timeout = absl::Milliseconds(200);
  Server server(options);
  server.Route("GET", "/x", [](const http::Request&) { return Response::Text(200, "x"); });
  REQUIRE(server.Start().ok());

  RawSocket idle(server.port());
  REQUIRE(idle.ok());
  REQUIRE(idle.Send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string bytes = idle.ReadUntilClosed(kReadTimeout);
  CHECK_THAT(bytes, Catch::StartsWith("HTTP/1.1 200"));
  CHECK(idle.closed());

  // A request that starts but never finishes is cut by the read timeout.
  RawSocket slow(server.port());
  REQUIRE(slow.ok());
  REQUIRE(slow.Send("GET /x HTTP/1.1\r\nHost: t\r\n"));
  slow.ReadUntilClosed(kReadTimeout);
  CHECK(slow.closed());
}

TEST_CASE("http server closes connections beyond connections_max", "[http][limits]") {
  ServerOptions options;
  options.connections_max = 2;
  Server server(options);
  server.Route("GET", "/x", [](const http::Request&) { return Response::Text(200, "x"); });
  REQUIRE(server.Start().ok());

  std::vector<std::unique_ptr<Client>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::make_unique<Client>(ClientFor(server)));
    absl::StatusOr<ClientResponse> response = held.back()->Send(Get("/x"));
    REQUIRE(response.ok());
  }
  absl::StatusOr<ClientResponse> refused = Fetch(ClientFor(server), Get("/x"));
  CHECK_FALSE(refused.ok());

  // Freeing a slot lets new connections in again (once the server sees the close).
  held.clear();
  bool served = false;
  for (int attempt = 0; attempt < 100 && !served; ++attempt) {
    absl::StatusOr<ClientResponse> response = Fetch(ClientFor(server), Get("/x"));
    served = response.ok() && response->status == 200;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(served);
}

}  // namespace
}  // namespace bitcontent::http
