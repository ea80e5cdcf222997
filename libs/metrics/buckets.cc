#include "libs/metrics/buckets.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "libs/metrics/programmer_error.h"
#include "libs/metrics/text_format.h"

namespace bitcontent::metrics {

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::vector<double> ExponentialBuckets(double start, double factor, std::size_t count) {
  if (!(start > 0) || !(factor > 1) || count < 1 || count > kBucketsMax) {
    internal::ProgrammerError(
        absl::StrCat("ExponentialBuckets(", start, ", ", factor, ", ", count,
                     "): need start > 0, factor > 1, 1 <= count <= ", kBucketsMax));
  }
  std::vector<double> bounds;
  bounds.reserve(count);
  double bound = start;
  for (std::size_t i = 0; i < count; ++i) {
    bounds.push_back(bound);
    bound *= factor;
  }
  return bounds;
}

absl::Status CheckBucketBounds(absl::Span<const double> bounds) {
  if (bounds.empty()) {
    return absl::InvalidArgumentError("histogram has no bucket bounds");
  }
  if (bounds.size() > kBucketsMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("histogram has ", bounds.size(), " bucket bounds; at most ", kBucketsMax));
  }
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i])) {
      return absl::InvalidArgumentError(absl::StrCat("bucket bound ", FormatValue(bounds[i]),
                                                     " is not finite (+Inf is implicit)"));
    }
    if (i > 0 && !(bounds[i] > bounds[i - 1])) {
      return absl::InvalidArgumentError(
          absl::StrCat("bucket bounds are not strictly increasing: ", FormatValue(bounds[i - 1]),
                       " then ", FormatValue(bounds[i])));
    }
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::metrics
