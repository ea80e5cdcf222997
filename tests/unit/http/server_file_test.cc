// File bodies: a response whose body the kernel sends from a file (sendfile), however
// many times the socket fills; a file shorter than announced, or a client that stops
// reading past the write timeout, closes the connection rather than leave it hanging.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "libs/http/server.h"
#include "tests/unit/http/http_test_util.h"
#include "tests/unit/http/raw_socket.h"

namespace bitcontent::http {
namespace {

using testing::ClientFor;
using testing::Get;

// A file of `size` bytes of a pattern no two nearby offsets share, in the test's
// temporary directory; removed with the object.
class PatternFile {
 public:
  explicit PatternFile(size_t size)
      : path_(std::filesystem::temp_directory_path() /
              ("server_file_test." + std::to_string(::getpid()) + "." + std::to_string(size))) {
    bytes_.resize(size);
    for (size_t i = 0; i < size; ++i) bytes_[i] = static_cast<char>((i * 131) >> 3);
    std::ofstream(path_, std::ios::binary).write(bytes_.data(), static_cast<long>(size));
  }
  ~PatternFile() { std::filesystem::remove(path_); }

  // A body of `length` bytes of the file from `offset`, on a descriptor of its own.
  FileBody Body(uint64_t offset, uint64_t length) const {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    return FileBody::Own(fd, offset, length);
  }
  const std::string& bytes() const { return bytes_; }

 private:
  const std::filesystem::path path_;
  std::string bytes_;
};

TEST_CASE(
    "http server sends a file body whole, again on the same connection, and closes "
    "the file after",
    "[http][server][file]") {
  // More than the socket buffers hold, so the send waits for the client several times.
  const PatternFile file(24 << 20);
  Server server({.io_threads = 1});
  std::weak_ptr<const void> watched;
  server.RouteAsync("GET", "/file", [&](std::shared_ptr<const Request>, Responder respond) {
    Response response;
    response.content_type = "application/octet-stream";
    response.file = file.Body(0, file.bytes().size());
    watched = response.file->owner;
    respond.Answer(std::move(response));
  });
  server.RouteAsync("GET", "/middle", [&](std::shared_ptr<const Request>, Responder respond) {
    Response response;
    response.file = file.Body(1000, 5000);
    respond.Answer(std::move(response));
  });
  REQUIRE(server.Start().ok());

  Client client(ClientFor(server));
  for (const char* method : {"GET", "HEAD", "GET"}) {
    absl::StatusOr<ClientResponse> got = client.Send(testing::Request(method, "/file"));
    REQUIRE(got.ok());
    CHECK(got->status == 200);
    CHECK(got->Header("Content-Length").value_or("") == std::to_string(file.bytes().size()));
    CHECK((got->body == (std::string(method) == "HEAD" ? "" : file.bytes())));
  }
  absl::StatusOr<ClientResponse> middle = client.Send(Get("/middle"));
  REQUIRE(middle.ok());
  CHECK((middle->body == file.bytes().substr(1000, 5000)));
  CHECK(watched.expired());
  server.Stop();
}

TEST_CASE("http server closes the connection when a file body ends before its length",
          "[http][server][file]") {
  const PatternFile file(70000);
  Server server({.io_threads = 1});
  server.RouteAsync("GET", "/short", [&](std::shared_ptr<const Request>, Responder respond) {
    Response response;
    response.file = file.Body(0, 100000);  // Announces more than the file holds.
    respond.Answer(std::move(response));
  });
  REQUIRE(server.Start().ok());
  // The client never takes the short body for a whole one.
  CHECK_FALSE(Fetch(ClientFor(server), Get("/short")).ok());
  server.Stop();
}

TEST_CASE("http server gives up a file body the client stops reading, at the write timeout",
          "[http][server][file]") {
  const PatternFile file(64 << 20);
  Server server({.io_threads = 1, .write_timeout = absl::Milliseconds(300)});
  server.RouteAsync("GET", "/file", [&](std::shared_ptr<const Request>, Responder respond) {
    Response response;
    response.file = file.Body(0, file.bytes().size());
    respond.Answer(std::move(response));
  });
  REQUIRE(server.Start().ok());
  testing::RawSocket socket(server.port());
  REQUIRE(socket.ok());
  REQUIRE(socket.Send("GET /file HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::seconds(1));  // Not reading.
  const std::string got = socket.ReadUntilClosed(std::chrono::seconds(10));
  CHECK(socket.closed());
  // What the socket buffers held when the server gave up, and no more.
  CHECK(got.size() < file.bytes().size());
  server.Stop();
}

TEST_CASE("http server outlives a client that goes away in the middle of a file body",
          "[http][server][file]") {
  const PatternFile file(64 << 20);
  Server server({.io_threads = 1});
  server.RouteAsync("GET", "/file", [&](std::shared_ptr<const Request>, Responder respond) {
    Response response;
    response.file = file.Body(0, file.bytes().size());
    respond.Answer(std::move(response));
  });
  REQUIRE(server.Start().ok());
  for (int round = 0; round < 3; ++round) {
    testing::RawSocket socket(server.port());
    REQUIRE(socket.ok());
    REQUIRE(socket.Send("GET /file HTTP/1.1\r\nHost: x\r\n\r\n"));
    REQUIRE_FALSE(socket.ReadUntil("HTTP/1.1 200", std::chrono::seconds(5)).empty());
  }  // Each closed with the body unread: a reset, and the server's next send fails.
  // Before the fix the test process died of SIGPIPE here (a server in it wrote to the
  // reset sockets); now the server answers the next client whole.
  absl::StatusOr<ClientResponse> got = Client(ClientFor(server)).Send(Get("/file"));
  REQUIRE(got.ok());
  CHECK(got->body.size() == file.bytes().size());
  server.Stop();
}

}  // namespace
}  // namespace bitcontent::http
