#include "libs/metrics/family.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/metrics/registry.h"

namespace bitcontent::metrics {
namespace {

TEST_CASE("metrics family: over the limit new tuples share one overflow child") {
  Registry registry;
  auto& calls = registry.AddCounter("calls_total", "Calls.", {"method", "code"}, 3);
  calls.WithLabels({"c", "OK"}).Increment();
  calls.WithLabels({"a", "OK"}).Increment();
  calls.WithLabels({"b", "OK"}).Increment();
  Counter& overflow = calls.WithLabels({"d", "OK"});
  overflow.Increment();
  calls.WithLabels({"e", "INTERNAL"}).Increment(2);
  CHECK(&overflow == &calls.WithLabels({"f", "OK"}));
  // Children created before the limit was reached keep their own series.
  calls.WithLabels({"a", "OK"}).Increment();
  CHECK(calls.ChildCount() == 3);
  CHECK(registry.Render() ==
        R"(# HELP calls_total Calls.
# TYPE calls_total counter
calls_total{method="a",code="OK"} 2
calls_total{method="b",code="OK"} 1
calls_total{method="c",code="OK"} 1
calls_total{method="__overflow__",code="__overflow__"} 3
)");
}

TEST_CASE("metrics family: the default limit is 10000 children") {
  Registry registry;
  auto& calls = registry.AddCounter("calls_total", "Calls.", {"method"});
  CHECK(calls.children_max() == kChildrenMaxDefault);
  CHECK(kChildrenMaxDefault == 10'000);
  for (std::size_t i = 0; i < kChildrenMaxDefault + 500; ++i) {
    calls.WithLabels({"/untrusted/" + std::to_string(i)}).Increment();
  }
  CHECK(calls.ChildCount() == kChildrenMaxDefault);
  CHECK(calls.WithLabels({kOverflowLabelValue}).Value() == 500);
}

TEST_CASE("metrics family: values too long or not UTF-8 go to the overflow child") {
  Registry registry;
  auto& calls = registry.AddCounter("calls_total", "Calls.", {"method"});
  calls.WithLabels({std::string(kLabelValueBytesMax, 'a')}).Increment();
  calls.WithLabels({std::string(kLabelValueBytesMax + 1, 'a')}).Increment();
  calls.WithLabels({"bad \xC3("}).Increment();
  CHECK(calls.ChildCount() == 1);
  CHECK(calls.WithLabels({kOverflowLabelValue}).Value() == 2);
}

TEST_CASE("metrics family: the overflow tuple itself never gets a second series") {
  Registry registry;
  auto& calls = registry.AddCounter("calls_total", "Calls.", {"method"});
  calls.WithLabels({kOverflowLabelValue}).Increment();
  CHECK(calls.ChildCount() == 0);
  const std::string page = registry.Render();
  CHECK(page == R"(# HELP calls_total Calls.
# TYPE calls_total counter
calls_total{method="__overflow__"} 1
)");
}

TEST_CASE("metrics family: overflow works for gauges and histograms too") {
  Registry registry;
  auto& depth = registry.AddGauge("depth", "Depth.", {"queue"}, 1);
  depth.WithLabels({"a"}).Set(1);
  depth.WithLabels({"b"}).Add(2);
  depth.WithLabels({"c"}).Add(3);
  CHECK(depth.WithLabels({kOverflowLabelValue}).Value() == 5);
  auto& sizes = registry.AddHistogram("size_bytes", "Sizes.", {"kind"}, {10, 100}, 1);
  sizes.WithLabels({"a"}).Observe(5);
  sizes.WithLabels({"b"}).Observe(50);
  sizes.WithLabels({"c"}).Observe(500);
  const Histogram::Snapshot overflow = sizes.WithLabels({kOverflowLabelValue}).Read();
  CHECK(overflow.cumulative_counts == std::vector<std::uint64_t>{0, 1, 2});
  CHECK(overflow.sum == 550);
}

TEST_CASE("metrics family: a family without labels has its one child from the start") {
  Registry registry;
  auto& started = registry.AddCounter("started_total", "Starts.", {});
  CHECK(started.ChildCount() == 1);
  CHECK(&started.WithLabels({}) == &started.WithLabels({}));
  CHECK(registry.Render() ==
        "# HELP started_total Starts.\n# TYPE started_total counter\n"
        "started_total 0\n");
}

}  // namespace
}  // namespace bitcontent::metrics
