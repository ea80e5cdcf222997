// Bucket bounds for histograms: a default set for request latency in seconds, a
// generator for exponential sets (sizes in bytes, batch lengths), and the check every
// set passes when a histogram family is added. A set lists upper bounds (`le`, "less
// than or equal") in strictly increasing order; the +Inf bucket is implicit and never
// listed.
#pragma once

#include <cstddef>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace bitcontent::metrics {

inline constexpr std::size_t kBucketsMax = 64;

// 0.5 ms up to 10 s in a 1, 2.5, 5 progression: 0.0005, 0.001, 0.0025, 0.005, 0.01,
// 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10. Suits RPC handling times.
std::vector<double> LatencyBuckets();

// `count` bounds: start, start * factor, start * factor^2, ... Requires start > 0,
// factor > 1 and 1 <= count <= kBucketsMax (aborts otherwise).
std::vector<double> ExponentialBuckets(double start, double factor, std::size_t count);

// OK if there are 1 to kBucketsMax bounds, each finite and greater than the one before.
absl::Status CheckBucketBounds(absl::Span<const double> bounds);

}  // namespace bitcontent::metrics
