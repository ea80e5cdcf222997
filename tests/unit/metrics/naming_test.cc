#include "libs/metrics/naming.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace bitcontent::metrics {
namespace {

TEST_CASE("metrics naming: valid names pass") {
  CHECK(CheckMetricName("grpc_server_handled_total", MetricType::kCounter).ok());
  CHECK(CheckMetricName("grpc_server_handling_seconds", MetricType::kHistogram).ok());
  CHECK(CheckMetricName("_leading_underscore_bytes", MetricType::kGauge).ok());
  CHECK(CheckMetricName("rpc_duration_seconds_sum", MetricType::kHistogram).ok());
  CHECK(CheckLabelNames({}).ok());
  CHECK(CheckLabelNames({"grpc_method", "grpc_code", "_x9"}).ok());
}

TEST_CASE("metrics naming: names outside lowercase snake_case fail") {
  for (const char* name : {"", "9lives_total", "has-dash_total", "camelCase_total", "UPPER_total",
                           "recording:rule_total", "space here_total", "__reserved_total"}) {
    INFO(name);
    CHECK(CheckMetricName(name, MetricType::kCounter).code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK_FALSE(CheckMetricName(std::string(kNameBytesMax + 1, 'a'), MetricType::kGauge).ok());
}

TEST_CASE("metrics naming: suffixes must fit the type") {
  CHECK_FALSE(CheckMetricName("requests", MetricType::kCounter).ok());
  CHECK_FALSE(CheckMetricName("in_flight_total", MetricType::kGauge).ok());
  CHECK_FALSE(CheckMetricName("latency_total", MetricType::kHistogram).ok());
  CHECK_FALSE(CheckMetricName("queue_count", MetricType::kGauge).ok());
  CHECK_FALSE(CheckMetricName("queue_sum", MetricType::kGauge).ok());
  CHECK_FALSE(CheckMetricName("queue_bucket", MetricType::kGauge).ok());
  CHECK(CheckMetricName("queue_length", MetricType::kGauge).ok());
}

TEST_CASE("metrics naming: bad label names fail") {
  CHECK_FALSE(CheckLabelNames({"le"}).ok());
  CHECK_FALSE(CheckLabelNames({"quantile"}).ok());
  CHECK_FALSE(CheckLabelNames({"__name__"}).ok());
  CHECK_FALSE(CheckLabelNames({"grpcMethod"}).ok());
  CHECK_FALSE(CheckLabelNames({"a-b"}).ok());
  CHECK_FALSE(CheckLabelNames({""}).ok());
  CHECK_FALSE(CheckLabelNames({"code", "method", "code"}).ok());
  CHECK_FALSE(CheckLabelNames(std::vector<std::string>(kLabelNamesMax + 1, "x")).ok());
}

TEST_CASE("metrics naming: help text must be present and UTF-8") {
  CHECK(CheckHelp("RPCs completed.").ok());
  CHECK_FALSE(CheckHelp("").ok());
  CHECK_FALSE(CheckHelp("bad \xFF byte").ok());
  CHECK_FALSE(CheckHelp(std::string(kHelpBytesMax + 1, 'h')).ok());
}

}  // namespace
}  // namespace bitcontent::metrics
