// ConnectionTracker: the set of a server's live connections, so Stop() can reach each
// one and wait until all are gone. Internal to libs/http.
//
// Connections register when they start and unregister from their destructor; the set
// holds weak pointers, so tracking never keeps a connection alive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace bitcontent::http {

class Connection;

class ConnectionTracker {
 public:
  // Registers `connection`; returns the id to pass to Remove.
  uint64_t Add(std::weak_ptr<Connection> connection);

  // Unregisters the connection `id`.
  void Remove(uint64_t id);

  // Returns the number of registered connections.
  size_t size() const;

  // Returns every registered connection (some may be expiring).
  std::vector<std::weak_ptr<Connection>> Snapshot() const;

  // Blocks until no connection is registered or `timeout` passes; returns true if empty.
  bool AwaitEmpty(absl::Duration timeout) const;

 private:
  mutable absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> connections_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bitcontent::http
