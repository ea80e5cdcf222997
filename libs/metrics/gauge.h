// A gauge: a value that goes up and down, such as RPCs in flight or queue length. Get one
// from a gauge family (Registry::AddGauge, then WithLabels) and keep the reference; every
// update is a lock-free atomic operation, safe from any thread.
#pragma once

#include <atomic>

namespace bitcontent::metrics {

class Gauge {
 public:
  Gauge() = default;
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  // Replaces the value.
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }

  // Adds `amount`, which may be negative.
  void Add(double amount) { value_.fetch_add(amount, std::memory_order_relaxed); }

  // Subtracts `amount`.
  void Subtract(double amount) { value_.fetch_sub(amount, std::memory_order_relaxed); }

  // The current value.
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  static_assert(std::atomic<double>::is_always_lock_free);
  std::atomic<double> value_{0};
};

}  // namespace bitcontent::metrics
