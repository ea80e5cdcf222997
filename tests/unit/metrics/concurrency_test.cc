// Updates from several threads at once must add up exactly: the atomics may not lose
// increments, and resolving children under the lock may not create duplicates.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "libs/metrics/registry.h"

namespace bitcontent::metrics {
namespace {

constexpr int kThreads = 8;
constexpr int kIterations = 50'000;

template <typename Body>
void RunOnThreads(const Body& body) {
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&body, t] { body(t); });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
}

TEST_CASE("metrics concurrency: counter increments from many threads sum exactly") {
  Registry registry;
  auto& calls = registry.AddCounter("calls_total", "Calls.", {"method"});
  Counter& held = calls.WithLabels({"held"});
  RunOnThreads([&](int) {
    for (int i = 0; i < kIterations; ++i) {
      held.Increment();
      // Resolving on every call takes the lock each time; it must find the same child.
      calls.WithLabels({"resolved"}).Increment(2);
    }
  });
  CHECK(held.Value() == kThreads * kIterations);
  CHECK(calls.WithLabels({"resolved"}).Value() == 2.0 * kThreads * kIterations);
  CHECK(calls.ChildCount() == 2);
  const std::string page = registry.Render();
  CHECK(page.find("calls_total{method=\"held\"} 400000\n") != std::string::npos);
  CHECK(page.find("calls_total{method=\"resolved\"} 800000\n") != std::string::npos);
}

TEST_CASE("metrics concurrency: gauge adds and subtracts from many threads balance") {
  Registry registry;
  Gauge& inflight = registry.AddGauge("in_flight", "In flight.", {}).WithLabels({});
  RunOnThreads([&](int t) {
    for (int i = 0; i < kIterations; ++i) {
      inflight.Add(1);
      inflight.Subtract(1);
    }
    inflight.Add(t);
  });
  CHECK(inflight.Value() == 0 + 1 + 2 + 3 + 4 + 5 + 6 + 7);
}

TEST_CASE("metrics concurrency: histogram observations from many threads count exactly") {
  Registry registry;
  Histogram& sizes = registry.AddHistogram("size_bytes", "Sizes.", {}, {1, 10, 100}).WithLabels({});
  RunOnThreads([&](int) {
    for (int i = 0; i < kIterations; ++i) {
      sizes.Observe(static_cast<double>(i % 4) * 10);
    }
  });
  const Histogram::Snapshot snapshot = sizes.Read();
  const std::uint64_t quarter = kThreads * kIterations / 4;
  // Observations cycle through 0, 10, 20, 30: one quarter each in le=1 and le=10
  // (inclusive), the other half in le=100.
  CHECK(snapshot.cumulative_counts ==
        std::vector<std::uint64_t>{quarter, 2 * quarter, 4 * quarter, 4 * quarter});
  CHECK(snapshot.sum == static_cast<double>(quarter) * (0 + 10 + 20 + 30));
}

TEST_CASE("metrics concurrency: racing new tuples never pass the cardinality limit") {
  Registry registry;
  constexpr std::size_t kLimit = 2'500;
  constexpr int kTuplesPerThread = 1'000;
  auto& calls = registry.AddCounter("calls_total", "Calls.", {"method"}, kLimit);
  RunOnThreads([&](int t) {
    for (int i = 0; i < kTuplesPerThread; ++i) {
      calls.WithLabels({std::to_string(t) + "/" + std::to_string(i)}).Increment();
    }
  });
  CHECK(calls.ChildCount() == kLimit);
  CHECK(calls.WithLabels({kOverflowLabelValue}).Value() ==
        static_cast<double>(std::size_t{kThreads} * kTuplesPerThread - kLimit));
}

}  // namespace
}  // namespace bitcontent::metrics
