// Streamed bodies: a response whose body a BodyStream produces piece by piece, from
// other threads, with the Content-Length announced up front; and borrowed ones, sent
// from memory the handler holds.
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "libs/http/server.h"
#include "tests/unit/http/http_test_util.h"

namespace bitcontent::http {
namespace {

using testing::ClientFor;
using testing::Get;

// Hands out `pieces` one at a time, each from a thread of its own; asked for more, an
// error.
class Pieces final : public BodyStream {
 public:
  explicit Pieces(std::vector<std::string> pieces) : pieces_(std::move(pieces)) {}
  ~Pieces() override {
    for (std::thread& thread : threads_) thread.join();
  }

  void Next(std::function<void(absl::StatusOr<std::string>)> done) override {
    absl::MutexLock lock(&mutex_);
    absl::StatusOr<std::string> piece = absl::UnavailableError("the source failed");
    if (next_ < pieces_.size()) piece = pieces_[next_++];
    threads_.emplace_back([done = std::move(done), piece = std::move(piece)] { done(piece); });
  }

 private:
  const std::vector<std::string> pieces_;
  absl::Mutex mutex_;
  size_t next_ = 0;
  std::vector<std::thread> threads_;
};

TEST_CASE("http server streams a body piece by piece, then serves the connection on",
          "[http][server][stream]") {
  Server server({.io_threads = 1});
  const std::vector<std::string> pieces = {std::string(100000, 'a'), "b", std::string(70000, 'c')};
  server.RouteAsync("GET", "/stream", [&](std::shared_ptr<const Request>, Responder respond) {
    Response response;
    response.content_type = "application/octet-stream";
    response.stream = std::make_shared<Pieces>(pieces);
    response.stream_length = 170001;
    respond.Answer(std::move(response));
  });
  server.RouteAsync("GET", "/broken", [&](std::shared_ptr<const Request>, Responder respond) {
    Response response;
    response.stream = std::make_shared<Pieces>(std::vector<std::string>{"only part"});
    response.stream_length = 1000;
    respond.Answer(std::move(response));
  });
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  for (int round = 0; round < 2; ++round) {
    absl::StatusOr<ClientResponse> got = client.Send(Get("/stream"));
    REQUIRE(got.ok());
    CHECK(got->status == 200);
    CHECK(got->body == pieces[0] + pieces[1] + pieces[2]);
    CHECK(got->Header("Content-Length").value_or("") == "170001");
  }
  // A source that fails midway cuts the connection: the client never takes a short
  // body for a whole one.
  CHECK_FALSE(Fetch(ClientFor(server), Get("/broken")).ok());
  server.Stop();
}

TEST_CASE("http server sends a borrowed body from its pieces, and keeps them until sent",
          "[http][server][stream]") {
  Server server({.io_threads = 1});
  std::weak_ptr<const void> watched;
  server.RouteAsync("GET", "/borrowed", [&](std::shared_ptr<const Request>, Responder respond) {
    // The only reference is the response's: the bytes must live until they are written.
    auto held = std::make_shared<std::vector<std::string>>(
        std::vector<std::string>{std::string(300000, 'x'), "", "yz"});
    watched = held;
    Response response;
    response.content_type = "application/octet-stream";
    response.borrowed = BorrowedBody{.pieces = {(*held)[0], (*held)[1], (*held)[2]}, .owner = held};
    respond.Answer(std::move(response));
  });
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  for (const char* method : {"GET", "HEAD", "GET"}) {
    absl::StatusOr<ClientResponse> got = client.Send(testing::Request(method, "/borrowed"));
    REQUIRE(got.ok());
    CHECK(got->status == 200);
    CHECK(got->Header("Content-Length").value_or("") == "300002");
    CHECK(got->body == (std::string(method) == "HEAD" ? "" : std::string(300000, 'x') + "yz"));
  }
  server.Stop();
  CHECK(watched.expired());
}

}  // namespace
}  // namespace bitcontent::http
