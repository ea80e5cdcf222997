#include "libs/http/connection_tracker.h"

#include <utility>

namespace bitcontent::http {

uint64_t ConnectionTracker::Add(std::weak_ptr<Connection> connection) {
  absl::MutexLock lock(&mu_);
  const uint64_t id = next_id_++;
  connections_.emplace(id, std::move(connection));
  return id;
}

void ConnectionTracker::Remove(uint64_t id) {
  absl::MutexLock lock(&mu_);
  connections_.erase(id);
}

size_t ConnectionTracker::size() const {
  absl::MutexLock lock(&mu_);
  return connections_.size();
}

std::vector<std::weak_ptr<Connection>> ConnectionTracker::Snapshot() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::weak_ptr<Connection>> connections;
  connections.reserve(connections_.size());
  for (const auto& [id, connection] : connections_) connections.push_back(connection);
  return connections;
}

bool ConnectionTracker::AwaitEmpty(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  const auto empty = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return connections_.empty(); };
  return mu_.AwaitWithTimeout(absl::Condition(&empty), timeout);
}

}  // namespace bitcontent::http
