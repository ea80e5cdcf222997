// Asynchronous handlers: answered later, from another thread, through a Responder.
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "libs/http/server.h"
#include "tests/unit/http/http_test_util.h"

namespace bitcontent::http {
namespace {

using testing::ClientFor;
using testing::Get;

TEST_CASE("http server answers an async request from another thread while serving others",
          "[http][server][async]") {
  // One I/O thread: if the pending request held it, /quick could not be answered.
  Server server({.io_threads = 1});
  absl::Notification release;
  std::vector<std::thread> workers;
  server.RouteAsync(
      "GET", "/slow/{id}", [&](std::shared_ptr<const Request> request, Responder respond) {
        workers.emplace_back([&release, request, respond] {
          release.WaitForNotification();
          respond.Answer(Response::Text(200, "slow " + std::string(request->PathParam("id"))));
        });
      });
  server.Route("GET", "/quick", [](const Request&) { return Response::Text(200, "quick"); });
  REQUIRE(server.Start().ok());

  absl::StatusOr<ClientResponse> slow;
  std::thread waiting([&] { slow = Fetch(ClientFor(server), Get("/slow/7")); });
  absl::StatusOr<ClientResponse> quick = Fetch(ClientFor(server), Get("/quick"));
  REQUIRE(quick.ok());
  CHECK(quick->body == "quick");
  release.Notify();
  waiting.join();
  REQUIRE(slow.ok());
  CHECK(slow->status == 200);
  CHECK(slow->body == "slow 7");

  // The connection stays usable after an answer from another thread.
  Client client(ClientFor(server));
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<ClientResponse> again = client.Send(Get("/slow/" + std::to_string(i)));
    REQUIRE(again.ok());
    CHECK(again->body == "slow " + std::to_string(i));
  }
  server.Stop();
  for (std::thread& worker : workers) worker.join();
}

TEST_CASE("http server answers 500 for an async request dropped or thrown without an answer",
          "[http][server][async]") {
  Server server;
  server.RouteAsync("GET", "/dropped", [](std::shared_ptr<const Request>, Responder) {});
  server.RouteAsync("GET", "/thrown", [](std::shared_ptr<const Request>, Responder) {
    throw std::runtime_error("boom");
  });
  server.RouteAsync("GET", "/twice", [](std::shared_ptr<const Request>, Responder respond) {
    respond.Answer(Response::Text(200, "first"));
    respond.Answer(Response::Text(201, "second"));
  });
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  for (const char* target : {"/dropped", "/thrown"}) {
    INFO(target);
    absl::StatusOr<ClientResponse> failed = client.Send(Get(target));
    REQUIRE(failed.ok());
    CHECK(failed->status == 500);
    CHECK(failed->body == "{\"code\":13,\"message\":\"internal error\"}");
  }
  absl::StatusOr<ClientResponse> twice = client.Send(Get("/twice"));
  REQUIRE(twice.ok());
  CHECK(twice->status == 200);
  CHECK(twice->body == "first");
  // Only one answer went out: the connection is in step for the next request.
  absl::StatusOr<ClientResponse> next = client.Send(Get("/twice"));
  REQUIRE(next.ok());
  CHECK(next->body == "first");
}

}  // namespace
}  // namespace bitcontent::http
