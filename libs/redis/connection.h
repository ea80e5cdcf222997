// Connection: one synchronous hiredis connection to Redis. Internal to libs/redis; the
// Client pools several and hands each to one caller at a time, so a Connection is not
// thread-safe.
//
// A Connection that failed (refused, reset, timed out) drops its socket and reconnects
// on its next use: a timed-out command may still be answered later, and that late
// answer must never be read as the answer to the next command.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/redis/reply.h"

struct redisContext;

namespace bitcontent::redis {

class Connection {
 public:
  // A connection to `host`:`port`; it connects lazily, on the first Run.
  Connection(std::string host, int port);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends one command (`args`, binary-safe) and reads its answer, connecting first if
  // needed. Connecting and the command each get at most `timeout`. Returns Unavailable
  // naming the address when Redis cannot be reached or does not answer in time.
  absl::StatusOr<Reply> Run(const std::vector<std::string>& args, absl::Duration timeout);

  // Sends `commands` back to back and then reads their answers, in order: one round
  // trip for the lot. Same connecting and timeout rules as Run, with `timeout` bounding
  // the whole batch; any failure fails the batch (the connection is dropped, since
  // some answers may still be on their way).
  absl::StatusOr<std::vector<Reply>> RunPipelined(
      const std::vector<std::vector<std::string>>& commands, absl::Duration timeout);

  // True while a socket is open (Redis may still have closed its end).
  bool connected() const { return context_ != nullptr; }

 private:
  // Connects if needed and sets the command timeout, within `timeout` in all.
  absl::Status Prepare(absl::Duration timeout);
  absl::Status Connect(absl::Duration timeout);
  absl::Status SetTimeout(absl::Duration timeout);
  void Drop();
  absl::Status Failure(const char* what);

  const std::string host_;
  const int port_;
  const std::string address_;  // "host:port", for messages.
  redisContext* context_ = nullptr;
  absl::Duration command_timeout_ = absl::ZeroDuration();  // What the socket has now.
};

}  // namespace bitcontent::redis
