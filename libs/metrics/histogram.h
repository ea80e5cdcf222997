// A histogram: counts observations (request latencies, payload sizes) into buckets with
// fixed upper bounds, and keeps their sum, so that Prometheus can compute quantiles and
// averages across replicas. Get one from a histogram family (Registry::AddHistogram, then
// WithLabels) and keep the reference; Observe is lock-free, safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/types/span.h"

namespace bitcontent::metrics {

class Histogram {
 public:
  // What a scrape reads: one cumulative count per bound, then the +Inf bucket.
  struct Snapshot {
    // cumulative_counts[i] = observations <= bounds[i]; the last entry, for +Inf, is the
    // total count, so the rendered _count always equals the +Inf bucket.
    std::vector<std::uint64_t> cumulative_counts;
    double sum = 0;
  };

  // `bounds` (strictly increasing, checked by the family) must outlive the histogram; the
  // family that creates it owns them.
  explicit Histogram(absl::Span<const double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Counts `value` in the first bucket whose bound is >= value (+Inf if none) and adds it
  // to the sum. NaN is a programmer error and aborts: it would poison the sum for good.
  void Observe(double value);

  // Reads the buckets and the sum. Concurrent observations may be half-visible (counted
  // but not yet summed); every count is exact once they return.
  Snapshot Read() const;

  absl::Span<const double> bounds() const { return bounds_; }

 private:
  absl::Span<const double> bounds_;
  // bounds_.size() + 1 non-cumulative counts; the last one is the +Inf bucket.
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

}  // namespace bitcontent::metrics
