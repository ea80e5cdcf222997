#include "libs/http/server.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/http/listener.h"
#include "libs/http/server_state.h"

namespace bitcontent::http {
namespace {

// Bounds on the options themselves, so a typo cannot ask for a million threads.
constexpr int kIoThreadsMax = 256;
constexpr size_t kHeaderBytesMin = 1 << 10;
constexpr size_t kHeaderBytesMax = 1 << 20;

absl::Status Validate(const ServerOptions& options) {
  if (options.io_threads < 1 || options.io_threads > kIoThreadsMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("http: io_threads must be 1..", kIoThreadsMax, ", got ", options.io_threads));
  }
  if (options.request_header_bytes_max < kHeaderBytesMin ||
      options.request_header_bytes_max > kHeaderBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat("http: request_header_bytes_max must be ",
                                                   kHeaderBytesMin, "..", kHeaderBytesMax));
  }
  if (options.connections_max < 1) {
    return absl::InvalidArgumentError("http: connections_max must be at least 1");
  }
  const absl::Duration zero = absl::ZeroDuration();
  if (options.idle_timeout <= zero || options.read_timeout <= zero ||
      options.write_timeout <= zero || options.stop_timeout < zero) {
    return absl::InvalidArgumentError("http: timeouts must be positive");
  }
  return absl::OkStatus();
}

}  // namespace

Server::Server(ServerOptions options, Router router)
    : state_(std::make_shared<ServerState>(std::move(options), std::move(router))) {}

Server::~Server() { Stop(); }

void Server::Route(std::string_view method, std::string_view pattern, Handler handler) {
  absl::MutexLock lock(&lifecycle_mu_);
  RequireNotStarted(method, pattern);
  state_->router.Route(method, pattern, std::move(handler));
}

void Server::RouteAsync(std::string_view method, std::string_view pattern, AsyncHandler handler) {
  absl::MutexLock lock(&lifecycle_mu_);
  RequireNotStarted(method, pattern);
  state_->router.RouteAsync(method, pattern, std::move(handler));
}

void Server::RequireNotStarted(std::string_view method, std::string_view pattern) const {
  if (!started_) return;
  // The router is read without a lock while serving; changing it now would race.
  std::fprintf(stderr, "http: route %s %s declared after Start()\n", std::string(method).c_str(),
               std::string(pattern).c_str());
  std::abort();
}

absl::Status Server::Start() {
  absl::MutexLock lock(&lifecycle_mu_);
  if (started_) return absl::FailedPreconditionError("http: server already started");
  if (absl::Status status = Validate(state_->options); !status.ok()) return status;
  auto listener = std::make_unique<Listener>(state_);
  if (absl::Status status = listener->Bind(); !status.ok()) return status;
  {
    absl::MutexLock address_lock(&address_mu_);
    port_ = listener->port();
    address_ = listener->address();
  }
  listener->Run();
  listener_ = std::move(listener);
  started_ = true;
  return absl::OkStatus();
}

void Server::Stop() {
  absl::MutexLock lock(&lifecycle_mu_);
  if (listener_ != nullptr) listener_->Stop();
}

uint16_t Server::port() const {
  absl::MutexLock lock(&address_mu_);
  return port_;
}

std::string Server::address() const {
  absl::MutexLock lock(&address_mu_);
  return address_;
}

const ServerOptions& Server::options() const { return state_->options; }

}  // namespace bitcontent::http
