// Script: a Lua script run in Redis with EVALSHA, so each call sends the script's name
// (its SHA-1, which Redis computes on SCRIPT LOAD) rather than its text. When Redis
// answers NOSCRIPT — after a restart, a failover or SCRIPT FLUSH — the script is loaded
// again and the call retried once.
//
// Use it for work that must be atomic or must take a single round trip, e.g. a rate
// limit that increments, sets the expiry and reads the time left in one call.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/redis/client.h"
#include "libs/redis/reply.h"

namespace bitcontent::redis {

class Script {
 public:
  explicit Script(std::string source) : source_(std::move(source)) {}

  // Runs the script with `keys` (KEYS[1..]) and `args` (ARGV[1..]). Errors raised by
  // the script come back as a Reply of type kError, as with Client::Run. Thread-safe.
  absl::StatusOr<Reply> Run(Client& client, const std::vector<std::string>& keys,
                            const std::vector<std::string>& args) const;

  // Like Run, without waiting: through Client::Send, so `done` runs on the client's
  // pipeline thread. Loading the script (the first call, and after NOSCRIPT) waits,
  // as Run does; that happens once per Redis start.
  void Send(Client& client, const std::vector<std::string>& keys,
            const std::vector<std::string>& args,
            std::function<void(absl::StatusOr<Reply>)> done) const;

 private:
  // Loads the script into Redis and remembers the name Redis gives it.
  absl::StatusOr<std::string> Load(Client& client) const;
  // The name Redis knows the script by, loading it first if needed.
  absl::StatusOr<std::string> Sha1(Client& client) const;

  const std::string source_;
  mutable absl::Mutex mu_;
  mutable std::string sha1_ ABSL_GUARDED_BY(mu_);  // Empty until loaded.
};

}  // namespace bitcontent::redis
