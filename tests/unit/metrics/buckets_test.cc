#include "libs/metrics/buckets.h"

#include <catch2/catch.hpp>
#include <limits>
#include <vector>

namespace bitcontent::metrics {
namespace {

TEST_CASE("metrics buckets: bounds must be finite and strictly increasing") {
  CHECK(CheckBucketBounds(LatencyBuckets()).ok());
  CHECK(CheckBucketBounds({1}).ok());
  CHECK_FALSE(CheckBucketBounds({}).ok());
  CHECK_FALSE(CheckBucketBounds({1, 1}).ok());
  CHECK_FALSE(CheckBucketBounds({2, 1}).ok());
  CHECK_FALSE(CheckBucketBounds({1, std::numeric_limits<double>::infinity()}).ok());
  CHECK_FALSE(CheckBucketBounds({std::numeric_limits<double>::quiet_NaN()}).ok());
  CHECK_FALSE(CheckBucketBounds(std::vector<double>(kBucketsMax + 1, 1)).ok());
}

TEST_CASE("metrics buckets: default latency and exponential sets") {
  const std::vector<double> latency = LatencyBuckets();
  CHECK(latency.front() == 0.0005);
  CHECK(latency.back() == 10);
  CHECK(latency.size() == 14);
  CHECK(ExponentialBuckets(1024, 4, 4) == std::vector<double>{1024, 4096, 16384, 65536});
}

}  // namespace
}  // namespace bitcontent::metrics
