#include "libs/kit/periodic_task.h"

namespace bitcontent::kit {

PeriodicTask::~PeriodicTask() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Start() {
  if (interval_ <= absl::ZeroDuration()) return;
  thread_ = std::thread([this] { Run(); });
}

void PeriodicTask::Run() {
  absl::MutexLock lock(&mu_);
  while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) {
    mu_.Unlock();
    task_();
    mu_.Lock();
  }
}

}  // namespace bitcontent::kit
