// RecentRuns: the last runs of an operator job (scrubbing, garbage collection), kept in
// memory so that a run named in a log line or a response can be read back by name until
// the service restarts. Bounded: past kKept runs the oldest is forgotten.
#pragma once

#include <cstddef>
#include <deque>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace bitcontent::blobs {

template <typename Run>
class RecentRuns {
 public:
  static constexpr size_t kKept = 100;

  void Add(const Run& run) ABSL_LOCKS_EXCLUDED(mutex_) {
    absl::MutexLock lock(&mutex_);
    if (runs_.size() == kKept) runs_.pop_front();
    runs_.push_back(run);
  }

  // NOT_FOUND for a name never run, or forgotten (restart, or more than kKept since).
  absl::StatusOr<Run> Find(absl::string_view name) const ABSL_LOCKS_EXCLUDED(mutex_) {
    absl::MutexLock lock(&mutex_);
    for (const Run& run : runs_) {
      if (run.name() == name) return run;
    }
    return absl::NotFoundError(absl::StrCat(name, " not found (the last ", kKept,
                                            " runs are kept, until the service restarts)"));
  }

 private:
  mutable absl::Mutex mutex_;
  std::deque<Run> runs_ ABSL_GUARDED_BY(mutex_);  // oldest first
};

}  // namespace bitcontent::blobs
