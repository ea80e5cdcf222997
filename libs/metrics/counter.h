// A counter: a value that only goes up, such as requests served or bytes written. Get
// one from a counter family (Registry::AddCounter, then WithLabels) and keep the
// reference; Increment is a lock-free atomic add, safe from any thread.
#pragma once

#include <atomic>
#include <cmath>

#include "libs/metrics/programmer_error.h"

namespace bitcontent::metrics {

class Counter {
 public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  // Adds `amount`, which must be finite and >= 0: a counter that went down would read as a
  // process restart to rate(). Anything else is a programmer error and aborts.
  void Increment(double amount = 1) {
    if (!(std::isfinite(amount) && amount >= 0)) {
      internal::ProgrammerError("Counter::Increment needs a finite amount >= 0");
    }
    value_.fetch_add(amount, std::memory_order_relaxed);
  }

  // The total so far.
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  static_assert(std::atomic<double>::is_always_lock_free);
  std::atomic<double> value_{0};
};

}  // namespace bitcontent::metrics
