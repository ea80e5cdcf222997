#include "libs/redis/client.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/redis/connection.h"
#include "libs/redis/pipeline.h"

namespace bitcontent::redis {

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(const ClientOptions& options) {
  const size_t colon = options.address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(options.address).substr(colon + 1), &port) || port <= 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis address must be host:port, not '", options.address, "'"));
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("Redis timeout must be positive");
  }
  if (options.connections < 1 || options.connections > kConnectionsMax) {
    return absl::InvalidArgumentError(absl::StrCat("Redis connections must be 1 to ",
                                                   kConnectionsMax, ", not ", options.connections));
  }
  std::string host = options.address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::unique_ptr<Client>(new Client(options, host, port));
}

Client::Client(ClientOptions options, const std::string& host, int port)
    : options_(std::move(options)) {
  connections_.reserve(options_.connections);
  absl::MutexLock lock(&mu_);
  for (int i = 0; i < options_.connections; ++i) {
    connections_.push_back(std::make_unique<Connection>(host, port));
    idle_.push_back(connections_.back().get());
  }
  pipeline_ = std::make_unique<Pipeline>(this, std::make_unique<Connection>(host, port));
}

Client::~Client() = default;

Connection* Client::Acquire(absl::Time deadline) {
  const auto has_idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !idle_.empty(); };
  absl::MutexLock lock(&mu_);
  if (!mu_.AwaitWithDeadline(absl::Condition(&has_idle), deadline)) return nullptr;
  // Most recently used first: its socket is the likeliest to be open and warm.
  Connection* connection = idle_.back();
  idle_.pop_back();
  return connection;
}

void Client::Release(Connection* connection) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(connection);
}

absl::Status Client::RecentFailure() {
  absl::MutexLock lock(&mu_);
  if (absl::Now() < retry_after_) return last_failure_;
  return absl::OkStatus();
}

void Client::NoteResult(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kUnavailable) return;
  absl::MutexLock lock(&mu_);
  retry_after_ = absl::Now() + kReconnectInterval;
  last_failure_ = status;
}

absl::StatusOr<Reply> Client::Run(const std::vector<std::string>& args) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + options_.timeout;
  Connection* connection = Acquire(deadline);
  if (connection == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("Redis at ", options_.address, ": all ", options_.connections,
                     " connections stayed busy for ", absl::FormatDuration(options_.timeout)));
  }
  // A connection that is still open is worth trying even during a back-off: it tells
  // at once whether Redis is back. A closed one waits for the back-off to pass.
  if (!connection->connected()) {
    if (absl::Status recent = RecentFailure(); !recent.ok()) {
      Release(connection);
      return recent;
    }
  }
  // Waiting for the connection used part of the budget; the command gets the rest.
  const absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    Release(connection);
    return absl::UnavailableError(absl::StrCat("Redis at ", options_.address,
                                               ": no connection came free within ",
                                               absl::FormatDuration(options_.timeout)));
  }
  // Rounding the budget to whole milliseconds keeps the socket timeout stable, so the
  // connection does not reset it on every call.
  const absl::Duration budget = left >= options_.timeout - absl::Milliseconds(1)
                                    ? options_.timeout
                                    : absl::Floor(left, absl::Milliseconds(1));
  absl::StatusOr<Reply> reply = connection->Run(args, budget);
  Release(connection);
  NoteResult(reply.status());
  return reply;
}

void Client::Send(std::vector<std::string> args, std::function<void(absl::StatusOr<Reply>)> done) {
  pipeline_->Send(std::move(args), std::move(done));
}

}  // namespace bitcontent::redis
