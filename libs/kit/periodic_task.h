// PeriodicTask: runs a task on a background thread once per interval, the first time
// one interval after Start, until destroyed (which waits for a run in progress). For
// sweeps that need time to pass: blobs' garbage collection, metadata's retention.
#pragma once

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace bitcontent::kit {

class PeriodicTask {
 public:
  // `interval` 0 (or less) means never: Start does nothing.
  PeriodicTask(absl::Duration interval, std::function<void()> task)
      : interval_(interval), task_(std::move(task)) {}
  ~PeriodicTask();

  void Start();

 private:
  void Run();

  const absl::Duration interval_;
  const std::function<void()> task_;
  std::thread thread_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace bitcontent::kit
