// Routing, decoding and framing, against a real server on 127.0.0.1 port 0.
#include "libs/http/server.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/http/absl_string.h"
#include "libs/http/client.h"
#include "tests/unit/http/http_test_util.h"
#include "tests/unit/http/raw_socket.h"

namespace bitcontent::http {
namespace {

using testing::ClientFor;
using testing::Get;
using testing::RawSocket;

constexpr auto kReadTimeout = std::chrono::seconds(3);

Response Echo(const http::Request& request) {
  return Response::Text(200, absl::StrCat(request.method, " ", ToAbsl(request.PathParam("id")), " ",
                                          ToAbsl(request.PathParam("version")), " ", request.body));
}

TEST_CASE("http server routes requests to handlers with path params", "[http][server]") {
  Server server;
  server.Route("GET", "/v1/files/{id}", Echo);
  server.Route("DELETE", "/v1/files/{id}", Echo);
  server.Route("GET", "/v1/files/{id}/versions/{version}", Echo);
  server.Route("POST", "/v1/files", Echo);
  REQUIRE(server.Start().ok());
  REQUIRE(server.port() != 0);
  CHECK(server.address() == absl::StrCat("127.0.0.1:", server.port()));

  absl::StatusOr<ClientResponse> file = Fetch(ClientFor(server), Get("/v1/files/a%20b"));
  REQUIRE(file.ok());
  CHECK(file->status == 200);
  CHECK(file->body == "GET a b  ");
  CHECK(file->Header("content-type") == "text/plain; charset=utf-8");

  absl::StatusOr<ClientResponse> version = Fetch(ClientFor(server), Get("/v1/files/f1/versions/3"));
  REQUIRE(version.ok());
  CHECK(version->body == "GET f1 3 ");

  absl::StatusOr<ClientResponse> deleted =
      Fetch(ClientFor(server), testing::Request("DELETE", "/v1/files/f2"));
  REQUIRE(deleted.ok());
  CHECK(deleted->body == "DELETE f2  ");

  absl::StatusOr<ClientResponse> created =
      Fetch(ClientFor(server), testing::Request("POST", "/v1/files", "{\"name\":\"x\"}"));
  REQUIRE(created.ok());
  CHECK(created->body == "POST   {\"name\":\"x\"}");
}

TEST_CASE("http server hands handlers the request's parts", "[http][server]") {
  Server server;
  server.Route("GET", "/inspect", [](const http::Request& request) {
    std::string seen = absl::StrCat(request.target, "|", request.path, "|");
    for (const auto& [name, value] : request.query) absl::StrAppend(&seen, name, "=", value, ";");
    absl::StrAppend(&seen, "|", ToAbsl(request.Header("x-custom").value_or("none")));
    absl::StrAppend(&seen, "|", ToAbsl(request.Query("b").value_or("none")));
    absl::StrAppend(&seen, "|", request.peer.rfind("127.0.0.1:", 0) == 0 ? "peer" : "no-peer");
    return Response::Text(200, seen);
  });
  REQUIRE(server.Start().ok());

  ClientRequest request = Get("/inspect?a=1&b=x%20y&b=z+w&flag&c=%26");
  request.headers.Add("X-Custom", "yes");
  absl::StatusOr<ClientResponse> response = Fetch(ClientFor(server), request);
  REQUIRE(response.ok());
  CHECK(response->body ==
        "/inspect?a=1&b=x%20y&b=z+w&flag&c=%26|/inspect|a=1;b=x y;b=z w;flag=;c=&;|yes|x y|peer");

  absl::StatusOr<ClientResponse> malformed = Fetch(ClientFor(server), Get("/inspect?a=%zz"));
  REQUIRE(malformed.ok());
  CHECK(malformed->status == 400);
}

TEST_CASE("http server answers 404 for unknown paths", "[http][server]") {
  Server server;
  server.Route("GET", "/known", [](const http::Request&) { return Response::Text(200, "ok"); });
  REQUIRE(server.Start().ok());

  for (const char* target : {"/unknown", "/known/deeper", "/", "/KNOWN"}) {
    INFO(target);
    absl::StatusOr<ClientResponse> response = Fetch(ClientFor(server), Get(target));
    REQUIRE(response.ok());
    CHECK(response->status == 404);
    CHECK(response->Header("content-type") == "application/json");
    CHECK_THAT(response->body, Catch::StartsWith("{\"code\":5,"));
  }
  absl::StatusOr<ClientResponse> bad = Fetch(ClientFor(server), Get("/known%zz"));
  REQUIRE(bad.ok());
  CHECK(bad->status == 400);
}

TEST_CASE("http server answers 405 with an Allow header", "[http][server]") {
  Server server;
  server.Route("GET", "/items", [](const http::Request&) { return Response::Text(200, "list"); });
  server.Route("POST", "/items", [](const http::Request&) { return Response::Text(201, "new"); });
  REQUIRE(server.Start().ok());

  absl::StatusOr<ClientResponse> response =
      Fetch(ClientFor(server), testing::Request("DELETE", "/items"));
  REQUIRE(response.ok());
  CHECK(response->status == 405);
  CHECK(response->Header("allow") == "GET, HEAD, POST");
  CHECK_THAT(response->body, Catch::StartsWith("{\"code\":12,"));

  absl::StatusOr<ClientResponse> created =
      Fetch(ClientFor(server), testing::Request("POST", "/items"));
  REQUIRE(created.ok());
  CHECK(created->status == 201);
}

TEST_CASE("http server answers HEAD from the GET route without a body", "[http][server]") {
  Server server;
  server.Route("GET", "/page", [](const http::Request&) { return Response::Text(200, "hello"); });
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  absl::StatusOr<ClientResponse> head = client.Send(testing::Request("HEAD", "/page"));
  REQUIRE(head.ok());
  CHECK(head->status == 200);
  CHECK(head->Header("content-length") == "5");
  CHECK(head->body.empty());
  // The connection is still in step: the next response is read whole and correctly.
  absl::StatusOr<ClientResponse> get = client.Send(Get("/page"));
  REQUIRE(get.ok());
  CHECK(get->body == "hello");
}

TEST_CASE("http server sets Date, Server and Content-Length", "[http][server]") {
  Server server;
  server.Route("GET", "/body", [](const http::Request&) {
    Response response = Response::Json(200, "{}");
    response.headers.Add("X-Extra", "1");
    response.headers.Add("Content-Length", "999");           // Ignored: the server frames.
    response.headers.Add("X-Bad", "a\r\nSet-Cookie: evil");  // Dropped: unsafe.
    return response;
  });
  server.Route("GET", "/empty", [](const http::Request&) { return Response::Text(200, ""); });
  server.Route("DELETE", "/gone", [](const http::Request&) { return Response::Text(204, "x"); });
  REQUIRE(server.Start().ok());

  absl::StatusOr<ClientResponse> body = Fetch(ClientFor(server), Get("/body"));
  REQUIRE(body.ok());
  CHECK(body->body == "{}");
  CHECK(body->Header("content-length") == "2");
  CHECK(body->headers.GetAll("content-length").size() == 1);
  CHECK(body->Header("server") == "bitcontent");
  CHECK(body->Header("x-extra") == "1");
  CHECK_FALSE(body->Header("x-bad").has_value());
  CHECK_FALSE(body->Header("set-cookie").has_value());
  const std::string date(body->Header("date").value_or(""));
  CHECK(date.size() == 29);
  CHECK_THAT(date, Catch::EndsWith(" GMT"));

  absl::StatusOr<ClientResponse> empty = Fetch(ClientFor(server), Get("/empty"));
  REQUIRE(empty.ok());
  CHECK(empty->Header("content-length") == "0");

  absl::StatusOr<ClientResponse> gone =
      Fetch(ClientFor(server), testing::Request("DELETE", "/gone"));
  REQUIRE(gone.ok());
  CHECK(gone->status == 204);
  CHECK(gone->body.empty());
  CHECK_FALSE(gone->Header("content-length").has_value());
}

TEST_CASE("http server serves several requests on one keep-alive connection", "[http][server]") {
  Server server;
  server.Route("GET", "/peer",
               [](const http::Request& request) { return Response::Text(200, request.peer); });
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  std::string first_peer;
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<ClientResponse> response = client.Send(Get("/peer"));
    REQUIRE(response.ok());
    CHECK(response->status == 200);
    CHECK_FALSE(response->Header("connection").has_value());
    if (i == 0) first_peer = response->body;
    CHECK(response->body == first_peer);  // Same client port: same connection.
    CHECK(client.connected());
  }
}

TEST_CASE("http server honours Connection: close", "[http][server]") {
  Server server;
  server.Route("GET", "/x", [](const http::Request&) { return Response::Text(200, "x"); });
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  ClientRequest request = Get("/x");
  request.headers.Add("Connection", "close");
  absl::StatusOr<ClientResponse> response = client.Send(request);
  REQUIRE(response.ok());
  CHECK(response->Header("connection") == "close");
  CHECK_FALSE(client.connected());

  RawSocket raw(server.port());
  REQUIRE(raw.ok());
  REQUIRE(raw.Send("GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const std::string bytes = raw.ReadUntilClosed(kReadTimeout);
  CHECK(raw.closed());
  CHECK_THAT(bytes, Catch::StartsWith("HTTP/1.1 200 OK\r\n"));
  CHECK_THAT(bytes, Catch::EndsWith("\r\n\r\nx"));
}

TEST_CASE("http server answers HTTP/1.0 and closes unless asked to keep alive", "[http][server]") {
  Server server;
  server.Route("GET", "/x", [](const http::Request&) { return Response::Text(200, "x"); });
  REQUIRE(server.Start().ok());

  RawSocket raw(server.port());
  REQUIRE(raw.ok());
  REQUIRE(raw.Send("GET /x HTTP/1.0\r\n\r\n"));
  const std::string bytes = raw.ReadUntilClosed(kReadTimeout);
  CHECK(raw.closed());
  CHECK_THAT(bytes, Catch::StartsWith("HTTP/1.0 200 OK\r\n"));
}

TEST_CASE("http server answers pipelined requests in order", "[http][server]") {
  Server server;
  server.Route("GET", "/n/{n}", [](const http::Request& request) {
    return Response::Text(200, absl::StrCat("<", ToAbsl(request.PathParam("n")), ">"));
  });
  REQUIRE(server.Start().ok());

  RawSocket raw(server.port());
  REQUIRE(raw.ok());
  REQUIRE(
      raw.Send("GET /n/1 HTTP/1.1\r\nHost: t\r\n\r\n"
               "GET /n/2 HTTP/1.1\r\nHost: t\r\n\r\n"
               "GET /missing HTTP/1.1\r\nHost: t\r\n\r\n"
               "GET /n/3 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const std::string bytes = raw.ReadUntilClosed(kReadTimeout);
  CHECK(raw.closed());
  const size_t one = bytes.find("<1>");
  const size_t two = bytes.find("<2>");
  const size_t missing = bytes.find("HTTP/1.1 404");
  const size_t three = bytes.find("<3>");
  REQUIRE(three != std::string::npos);
  CHECK(one < two);
  CHECK(two < missing);
  CHECK(missing < three);
}

TEST_CASE("http server answers many concurrent clients", "[http][server]") {
  ServerOptions options;
  options.io_threads = 2;
  Server server(options);
  server.Route("GET", "/square/{n}", [](const http::Request& request) {
    const long n = std::stol(std::string(request.PathParam("n")));
    return Response::Text(200, std::to_string(n * n));
  });
  REQUIRE(server.Start().ok());

  constexpr int kThreads = 8;
  constexpr int kRequestsPerThread = 200;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Client client(ClientFor(server));
      for (int i = 0; i < kRequestsPerThread; ++i) {
        const long n = t * 1000 + i;
        absl::StatusOr<ClientResponse> response = client.Send(Get(absl::StrCat("/square/", n)));
        if (response.ok() && response->status == 200 && response->body == std::to_string(n * n)) {
          answered.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(answered.load() == kThreads * kRequestsPerThread);
}

TEST_CASE("http server turns a throwing handler into 500 and keeps serving", "[http][server]") {
  Server server;
  server.Route("GET", "/throw",
               [](const http::Request&) -> Response { throw std::runtime_error("boom"); });
  server.Route("GET", "/throw-int", [](const http::Request&) -> Response { throw 42; });
  server.Route("GET", "/bad-status", [](const http::Request&) { return Response::Text(42, ""); });
  server.Route("GET", "/ok", [](const http::Request&) { return Response::Text(200, "fine"); });
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  for (const char* target : {"/throw", "/throw-int", "/bad-status", "/throw"}) {
    INFO(target);
    absl::StatusOr<ClientResponse> failed = client.Send(Get(target));
    REQUIRE(failed.ok());
    CHECK(failed->status == 500);
    CHECK(failed->body == "{\"code\":13,\"message\":\"internal error\"}");
    // Same connection, still usable.
    absl::StatusOr<ClientResponse> fine = client.Send(Get("/ok"));
    REQUIRE(fine.ok());
    CHECK(fine->body == "fine");
  }
  CHECK(client.connected());
}

}  // namespace
}  // namespace bitcontent::http
