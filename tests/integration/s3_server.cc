#include "tests/integration/s3_server.h"

#include <chrono>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/http/client.h"
#include "libs/launch/free_port.h"

namespace bitcontent::testing {
namespace {

namespace fs = std::filesystem;

constexpr absl::Duration kStartTimeout = absl::Seconds(20);

}  // namespace

absl::StatusOr<std::unique_ptr<S3Server>> S3Server::Start(fs::path dir, std::string bucket) {
  // The free port is picked before s3rver binds it, so another process may take it
  // meanwhile; s3rver then exits (UNAVAILABLE) and a new port is tried.
  absl::Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::unique_ptr<S3Server> server(new S3Server(dir, bucket, launch::FreeLoopbackPort()));
    last = server->Launch();
    if (last.ok()) return server;
    if (!absl::IsUnavailable(last)) break;
  }
  return last;
}

S3Server::~S3Server() { (void)Stop(); }

std::string S3Server::endpoint() const { return absl::StrCat("http://127.0.0.1:", port_); }

absl::Status S3Server::Launch() {
  const fs::path binary = fs::path(BITCONTENT_SOURCE_DIR) / "tools/s3rver/node_modules/.bin/s3rver";
  if (!fs::exists(binary)) {
    return absl::FailedPreconditionError(
        absl::StrCat(binary.string(), " is missing: ./dev build installs it (npm ci)"));
  }
  fs::create_directories(dir_ / "objects");
  absl::StatusOr<std::unique_ptr<launch::Process>> process = launch::Process::Start(
      {.name = "s3rver",
       .binary = binary.string(),
       .args = {"--directory", (dir_ / "objects").string(), "--address", "127.0.0.1", "--port",
                absl::StrCat(port_), "--configure-bucket", bucket_, "--silent"},
       .log_path = (dir_ / "s3rver.log").string()});
  if (!process.ok()) return process.status();
  process_ = *std::move(process);
  const absl::Time deadline = absl::Now() + kStartTimeout;
  while (absl::Now() < deadline) {
    if (!process_->Running()) return absl::UnavailableError("s3rver exited during start-up");
    // Ready when the port answers with our bucket: an answer from another process that
    // holds the port does not count.
    absl::StatusOr<http::ClientResponse> answer =
        http::Fetch({.host = "127.0.0.1", .port = static_cast<uint16_t>(port_)},
                    {.method = "GET", .target = "/"});
    if (answer.ok() && answer->status == 200 &&
        absl::StrContains(answer->body, absl::StrCat("<Name>", bucket_, "</Name>"))) {
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return absl::DeadlineExceededError("s3rver did not answer within 20 s");
}

absl::Status S3Server::Stop() {
  if (process_ == nullptr) return absl::OkStatus();
  absl::StatusOr<int> stopped = process_->Stop(absl::Seconds(5));
  process_.reset();
  return stopped.status();
}

absl::Status S3Server::Restart() {
  if (absl::Status s = Stop(); !s.ok()) return s;
  return Launch();
}

}  // namespace bitcontent::testing
