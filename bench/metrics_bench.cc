// The cost of the metrics every RPC records: resolving a labelled child and
// incrementing it, and observing a histogram, on one thread.
//
// Prints: metrics_counter_increment_ns, metrics_labelled_counter_increment_ns,
// metrics_histogram_observe_ns.
#include <chrono>
#include <cstdio>

#include "libs/metrics/buckets.h"
#include "libs/metrics/registry.h"

namespace {

constexpr int kIterations = 5'000'000;

template <typename F>
double NanosecondsPerCall(F&& call) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kIterations; ++i) call(i);
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
             .count() /
         kIterations;
}

}  // namespace

int main() {
  bitcontent::metrics::Registry registry;
  auto& counters = registry.AddCounter("bench_calls_total", "Calls.", {"method", "code"});
  auto& resolved = counters.WithLabels({"Ping", "OK"});
  auto& histograms = registry.AddHistogram("bench_seconds", "Latency.", {"method"},
                                           bitcontent::metrics::LatencyBuckets());
  auto& histogram = histograms.WithLabels({"Ping"});

  std::printf("metrics_counter_increment_ns %.1f ns\n",
              NanosecondsPerCall([&](int) { resolved.Increment(); }));
  std::printf("metrics_labelled_counter_increment_ns %.1f ns\n", NanosecondsPerCall([&](int) {
                counters.WithLabels({"Ping", "OK"}).Increment();
              }));
  std::printf("metrics_histogram_observe_ns %.1f ns\n",
              NanosecondsPerCall([&](int i) { histogram.Observe((i % 1000) * 1e-5); }));
  return resolved.Value() > 0 ? 0 : 1;
}
