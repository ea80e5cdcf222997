// The three kinds of metric this library offers, and their names in the `# TYPE` line
// of the Prometheus text format. Summaries are left out on purpose: their quantiles
// cannot be aggregated across replicas, histograms can.
#pragma once

#include <string_view>

namespace bitcontent::metrics {

enum class MetricType { kCounter, kGauge, kHistogram };

// "counter", "gauge" or "histogram".
constexpr std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace bitcontent::metrics
