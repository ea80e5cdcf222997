// Standard process metrics (CPU time, memory, file descriptors, start time) read from
// /proc/self on each scrape, under the names every Prometheus client library uses, so
// stock dashboards and alerts work unchanged. A registry includes them after
// Registry::EnableProcessMetrics(); tests of the text format leave them off so that their
// pages stay deterministic. Linux only: elsewhere the sources are missing and the
// metrics are left out.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "libs/metrics/metric_type.h"

namespace bitcontent::metrics {

// One process metric, without labels.
struct ProcessMetric {
  std::string_view name;
  std::string_view help;
  MetricType type;
  double value;
};

// The names CollectProcessMetrics can produce, sorted. A registry refuses families that
// would take one of them.
absl::Span<const std::string_view> ProcessMetricNames();

// Reads the current values, sorted by name. A metric whose source cannot be read is left
// out rather than reported as a made-up zero.
std::vector<ProcessMetric> CollectProcessMetrics();

// What /proc/self/stat says about the process, in base units.
struct ProcessStat {
  double cpu_seconds = 0;  // User plus system time.
  double virtual_memory_bytes = 0;
  double resident_memory_bytes = 0;
  double start_seconds_after_boot = 0;
};

// Parses the one line of /proc/<pid>/stat (see proc(5)); the command name in parentheses
// may hold spaces and parentheses. InvalidArgument if fields are missing or not numbers.
absl::StatusOr<ProcessStat> ParseProcessStat(std::string_view text, double ticks_per_second,
                                             double page_size_bytes);

// The boot time from the "btime" line of /proc/stat, in seconds since the Unix epoch.
absl::StatusOr<double> ParseBootTimeSeconds(std::string_view proc_stat_text);

}  // namespace bitcontent::metrics
