// Clock: where the ledger reads the time, so tests can move time by hand (pending
// timeouts) instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace bitcontent::ledger {

class Clock {
 public:
  virtual ~Clock() = default;
  // Nanoseconds since the Unix epoch.
  virtual uint64_t NowNs() = 0;
};

class SystemClock final : public Clock {
 public:
  uint64_t NowNs() override {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  }
};

// A clock that only moves when told to; safe to read and move from any thread.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(uint64_t now_ns) : now_ns_(now_ns) {}
  uint64_t NowNs() override { return now_ns_.load(); }
  void AdvanceNs(uint64_t delta_ns) { now_ns_.fetch_add(delta_ns); }

 private:
  std::atomic<uint64_t> now_ns_;
};

}  // namespace bitcontent::ledger
