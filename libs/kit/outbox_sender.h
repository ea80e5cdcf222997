// OutboxSender: the background thread that drains a store::Outbox into another
// service. It sends as soon as a batch with staged entries commits (Outbox::Notify),
// checks again every `retry_delay_max` in case a wake-up was missed, and, while the
// receiver is unreachable, retries with a delay doubling from `retry_delay_min` up to
// `retry_delay_max`, logging the outage once and its end once.
#pragma once

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/store/outbox.h"

namespace bitcontent::kit {

struct OutboxSenderOptions {
  // What is sent and where, for the logs: "revocations", "redis".
  std::string what = {};
  std::string receiver = {};
  absl::Duration retry_delay_min = absl::Milliseconds(100);
  absl::Duration retry_delay_max = absl::Seconds(5);
};

class OutboxSender {
 public:
  // `send_once` sends one round of the oldest entries and removes them: OK when the
  // outbox is then empty, RESOURCE_EXHAUSTED when more are waiting (sent again at once),
  // another error when the receiver failed (retried after a delay). `outbox` must
  // outlive this.
  OutboxSender(store::Outbox* outbox, std::function<absl::Status()> send_once,
               OutboxSenderOptions options);
  // Stops the thread.
  ~OutboxSender();

  void Start();

 private:
  void Run();

  store::Outbox* const outbox_;
  const std::function<absl::Status()> send_once_;
  const OutboxSenderOptions options_;
  std::thread thread_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace bitcontent::kit
