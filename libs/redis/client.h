// Client: a small, thread-safe Redis client on hiredis for what the suite keeps in
// Redis (rate limits, revocations, fan-out): a bounded pool of synchronous connections,
// each used by one caller at a time (Run), and a pipeline that sends the commands of
// many callers together without making any of them wait (Send).
//
//   auto client = redis::Client::Connect({.address = "127.0.0.1:6379"});
//   absl::StatusOr<redis::Reply> reply = (*client)->Run({"INCR", "bc:rl:ip:1.2.3.4"});
//
// Every call is bounded by ClientOptions::timeout (waiting for a free connection,
// connecting and the command together), so Redis trouble never stalls a caller for
// longer. When Redis cannot be reached the call fails with Unavailable naming the
// address; after such a failure the client fails fast for kReconnectInterval, then
// tries again, so a restarted Redis is used again without any action from the caller.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/redis/reply.h"

namespace bitcontent::redis {

class Connection;
class Pipeline;

struct ClientOptions {
  // "host:port" of Redis.
  std::string address = {};
  // Longest any one call may block, end to end.
  absl::Duration timeout = absl::Milliseconds(200);
  // Connections in the pool: how many calls can be in flight at once.
  int connections = 4;
};

class Client {
 public:
  // Most connections one client may hold.
  static constexpr int kConnectionsMax = 256;
  // After Redis could not be reached, calls fail at once for this long before the next
  // attempt to connect, so an outage costs callers nothing but the error.
  static constexpr absl::Duration kReconnectInterval = absl::Milliseconds(100);

  // Checks the options and makes a client. Connections are opened lazily, so this
  // succeeds while Redis is down (the service starts and keeps trying); InvalidArgument
  // for a malformed address, a timeout <= 0 or a connection count out of range.
  static absl::StatusOr<std::unique_ptr<Client>> Connect(const ClientOptions& options);

  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Runs one command (binary-safe arguments) and returns Redis's answer, which may be a
  // Reply of type kError. Unavailable when Redis is unreachable, does not answer within
  // the timeout, or every connection stays busy for the whole timeout.
  absl::StatusOr<Reply> Run(const std::vector<std::string>& args);

  // Runs one command without waiting for it: `done` gets Redis's answer (or Unavailable,
  // as with Run) on the client's pipeline thread. Commands sent by many threads while
  // Redis answers earlier ones go out together, one round trip for the lot, on a
  // connection of their own (not one of the pool's). `done` must be quick: the next
  // commands wait for it. It may Send again.
  void Send(std::vector<std::string> args, std::function<void(absl::StatusOr<Reply>)> done);

  const ClientOptions& options() const { return options_; }

 private:
  friend class Pipeline;  // Shares the back-off.

  Client(ClientOptions options, const std::string& host, int port);

  // Takes an idle connection, waiting until `deadline`; nullptr when none came free.
  Connection* Acquire(absl::Time deadline);
  void Release(Connection* connection);
  // The status to fail with while a recent failure keeps the client in its back-off.
  absl::Status RecentFailure();
  void NoteResult(const absl::Status& status);

  const ClientOptions options_;
  std::vector<std::unique_ptr<Connection>> connections_;

  absl::Mutex mu_;
  std::vector<Connection*> idle_ ABSL_GUARDED_BY(mu_);
  absl::Time retry_after_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Status last_failure_ ABSL_GUARDED_BY(mu_);

  // Last, so it is destroyed (its thread joined) first.
  std::unique_ptr<Pipeline> pipeline_;
};

}  // namespace bitcontent::redis
