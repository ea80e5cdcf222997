// Start and Stop: bind errors, prompt shutdown with idle connections, and in-flight
// requests finishing during shutdown.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "libs/http/client.h"
#include "libs/http/server.h"
#include "tests/unit/http/http_test_util.h"
#include "tests/unit/http/raw_socket.h"

namespace bitcontent::http {
namespace {

using testing::ClientFor;
using testing::Get;

Response Ok(const http::Request&) { return Response::Text(200, "ok"); }

TEST_CASE("http server reports a clear error when the port is in use", "[http][stop]") {
  Server first;
  first.Route("GET", "/x", Ok);
  REQUIRE(first.Start().ok());

  ServerOptions options;
  options.address = first.address();
  Server second(options);
  const absl::Status status = second.Start();
  CHECK(status.code() == absl::StatusCode::kUnavailable);
  CHECK_THAT(std::string(status.message()), Catch::Contains(first.address()));
  CHECK_THAT(std::string(status.message()), Catch::Contains("in use"));
  CHECK(second.port() == 0);

  // The first server is unaffected.
  absl::StatusOr<ClientResponse> response = Fetch(ClientFor(first), Get("/x"));
  REQUIRE(response.ok());
  CHECK(response->status == 200);
}

TEST_CASE("http server refuses bad options and a second Start", "[http][stop]") {
  ServerOptions bad_address;
  bad_address.address = "no-port-here";
  CHECK(Server(bad_address).Start().code() == absl::StatusCode::kInvalidArgument);

  ServerOptions bad_threads;
  bad_threads.io_threads = 0;
  CHECK(Server(bad_threads).Start().code() == absl::StatusCode::kInvalidArgument);

  Server server;
  REQUIRE(server.Start().ok());
  CHECK(server.Start().code() == absl::StatusCode::kFailedPrecondition);
}

TEST_CASE("http server stops promptly with an idle keep-alive connection open", "[http][stop]") {
  ServerOptions options;
  options.idle_timeout = absl::Seconds(60);
  options.stop_timeout = absl::Seconds(20);  // A Stop that waited on the idle peer would show.
  Server server(options);
  server.Route("GET", "/x", Ok);
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  REQUIRE(client.Send(Get("/x")).ok());
  REQUIRE(client.connected());
  testing::RawSocket silent(server.port());  // Connected, never sends a byte.
  REQUIRE(silent.ok());
  // Let the server finish its side of the exchange and of the accept, so both
  // connections are idle, waiting for a request, when Stop() begins.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  const auto start = std::chrono::steady_clock::now();
  server.Stop();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < std::chrono::seconds(3));

  // The idle connections were closed and nothing listens any more.
  silent.ReadUntilClosed(std::chrono::seconds(3));
  CHECK(silent.closed());
  CHECK_FALSE(client.Send(Get("/x")).ok());
  CHECK_FALSE(Fetch(ClientFor(server, absl::Seconds(2)), Get("/x")).ok());
  server.Stop();  // Idempotent.
}

TEST_CASE("http server lets an in-flight handler finish during Stop", "[http][stop]") {
  absl::Notification entered;
  Server server;
  server.Route("GET", "/slow", [&entered](const http::Request&) {
    entered.Notify();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return Response::Text(200, "done");
  });
  REQUIRE(server.Start().ok());

  absl::StatusOr<ClientResponse> response;
  std::thread caller([&] {
    Client client(ClientFor(server));
    response = client.Send(Get("/slow"));
  });
  REQUIRE(entered.WaitForNotificationWithTimeout(absl::Seconds(5)));
  server.Stop();
  caller.join();

  REQUIRE(response.ok());
  CHECK(response->status == 200);
  CHECK(response->body == "done");
  CHECK(response->Header("connection") == "close");
}

TEST_CASE("http server destructor stops a running server", "[http][stop]") {
  uint16_t port = 0;
  {
    Server server;
    server.Route("GET", "/x", Ok);
    REQUIRE(server.Start().ok());
    port = server.port();
    Client client(ClientFor(server));
    REQUIRE(client.Send(Get("/x")).ok());
  }
  ClientOptions options;
  options.port = port;
  options.timeout = absl::Seconds(2);
  CHECK(Fetch(options, Get("/x")).status().code() == absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace bitcontent::http
