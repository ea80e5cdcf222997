// Pipeline: commands from many threads, sent to Redis back to back on one connection.
// Internal to libs/redis; Client::Send is its public face.
//
// One thread owns the connection. It takes every command waiting (at most kBatchMax),
// writes them all, reads their answers in order, hands each to its caller's callback,
// and starts over. While a batch is on the wire the next one gathers, so under load a
// round trip, a system call and Redis's own per-read cost are shared by many commands;
// when idle, a command goes out at once.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/redis/reply.h"

namespace bitcontent::redis {

class Client;
class Connection;

class Pipeline {
 public:
  using Done = std::function<void(absl::StatusOr<Reply>)>;

  // Most commands one round trip carries.
  static constexpr size_t kBatchMax = 512;
  // Most commands waiting; beyond it Send fails at once rather than queue without bound.
  static constexpr size_t kQueueMax = 1 << 16;

  // Sends on `connection` for `client` (its timeout and back-off); both outlive this.
  Pipeline(Client* client, std::unique_ptr<Connection> connection);
  // Fails what is still waiting (Unavailable) and joins the thread.
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  void Send(std::vector<std::string> args, Done done);

 private:
  struct Pending {
    std::vector<std::string> args;
    Done done;
  };

  void Run();
  // Sends `batch` and answers every command in it.
  void Flush(std::vector<Pending>& batch);

  Client* const client_;
  const std::unique_ptr<Connection> connection_;  // Used by the thread only.
  absl::Mutex mu_;
  std::deque<Pending> waiting_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace bitcontent::redis
