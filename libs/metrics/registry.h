// The metrics registry: where a process declares its counters, gauges and histograms, and
// what renders them as a Prometheus text-format page (version 0.0.4) for /metrics.
//
//   metrics::Registry registry;
//   auto& handled = registry.AddCounter("grpc_server_handled_total",
//                                       "RPCs completed, by method and status code.",
//                                       {"grpc_method", "grpc_code"});
//   handled.WithLabels({"/bitcontent.wallet.v1.Wallet/Transfer", "OK"}).Increment();
//   auto& latency = registry.AddHistogram("grpc_server_handling_seconds", "...",
//                                         {"grpc_method"}, metrics::LatencyBuckets());
//   registry.EnableProcessMetrics();
//   std::string page = registry.Render();  // Serve with Content-Type kContentType.
//
// A process has one registry, owned by its server bootstrap. Families live as long as
// the registry, so references to families and children can be kept. Adding a family
// with a name, help text, label names or bucket bounds that break the rules in naming.h
// and buckets.h is a programmer error and aborts. All methods are thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "libs/metrics/buckets.h"
#include "libs/metrics/family.h"
#include "libs/metrics/text_format.h"

namespace bitcontent::metrics {

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Adds a counter family, or returns the family already added under `name` if its type
  // and label names are the same (aborts if not; the first help text and children_max
  // stay). `children_max` is the cardinality limit described in family.h.
  CounterFamily& AddCounter(std::string_view name, std::string_view help,
                            std::vector<std::string> label_names,
                            std::size_t children_max = kChildrenMaxDefault);

  // Adds a gauge family; same rules as AddCounter.
  GaugeFamily& AddGauge(std::string_view name, std::string_view help,
                        std::vector<std::string> label_names,
                        std::size_t children_max = kChildrenMaxDefault);

  // Adds a histogram family with the given upper bounds (strictly increasing, +Inf
  // implicit; see buckets.h); same rules as AddCounter, and a family added again must
  // also have the same bounds.
  HistogramFamily& AddHistogram(std::string_view name, std::string_view help,
                                std::vector<std::string> label_names,
                                std::vector<double> bucket_bounds,
                                std::size_t children_max = kChildrenMaxDefault);

  // From now on, Render() also reports the process metrics of process_collector.h. Their
  // names are reserved whether or not this is called. Calling it twice is harmless.
  void EnableProcessMetrics();

  // The page: every family with at least one child, sorted by name, in text format.
  std::string Render() const;

 private:
  // Checks the rules shared by every family type and aborts on a broken one.
  static void CheckFamilyOrDie(std::string_view name, MetricType type, std::string_view help,
                               const std::vector<std::string>& label_names);

  // Stores `candidate`, or returns the family already stored under its name if the two
  // have the same type, label names and bucket bounds (aborts otherwise).
  FamilyBase& AddFamily(std::unique_ptr<FamilyBase> candidate);

  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_ ABSL_GUARDED_BY(mu_);
  bool process_metrics_enabled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace bitcontent::metrics
