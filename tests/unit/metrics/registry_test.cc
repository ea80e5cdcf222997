#include "libs/metrics/registry.h"

#include <catch2/catch.hpp>
#include <limits>
#include <string>

namespace bitcontent::metrics {
namespace {

TEST_CASE("metrics registry: an empty registry renders an empty page") {
  Registry registry;
  CHECK(registry.Render().empty());
}

TEST_CASE("metrics registry: counter with labels renders exact text with escaping") {
  Registry registry;
  auto& handled =
      registry.AddCounter("rpc_handled_total", "RPCs completed.\nBy \\method.", {"method", "code"});
  handled.WithLabels({"/b.Svc/Get", "OK"}).Increment();
  handled.WithLabels({"/a.Svc/Put", "NOT_FOUND"}).Increment(2);
  handled.WithLabels({"say \"hi\"\\\nnow", "OK"}).Increment(0.5);
  handled.WithLabels({"/b.Svc/Get", "OK"}).Increment(1e6);
  CHECK(registry.Render() ==
        R"(# HELP rpc_handled_total RPCs completed.\nBy \\method.
# TYPE rpc_handled_total counter
rpc_handled_total{method="/a.Svc/Put",code="NOT_FOUND"} 2
rpc_handled_total{method="/b.Svc/Get",code="OK"} 1000001
rpc_handled_total{method="say \"hi\"\\\nnow",code="OK"} 0.5
)");
}

TEST_CASE("metrics registry: gauges render values and special values") {
  Registry registry;
  auto& inflight = registry.AddGauge("rpcs_in_flight", "RPCs being served.", {});
  auto& temperature = registry.AddGauge("queue_depth", "Items waiting, by queue.", {"queue"});
  inflight.WithLabels({}).Add(3);
  inflight.WithLabels({}).Subtract(1);
  temperature.WithLabels({"a"}).Set(-2.5);
  temperature.WithLabels({"b"}).Set(std::numeric_limits<double>::infinity());
  temperature.WithLabels({"c"}).Set(std::numeric_limits<double>::quiet_NaN());
  temperature.WithLabels({"d"}).Set(1.5e-7);
  CHECK(registry.Render() ==
        R"(# HELP queue_depth Items waiting, by queue.
# TYPE queue_depth gauge
queue_depth{queue="a"} -2.5
queue_depth{queue="b"} +Inf
queue_depth{queue="c"} NaN
queue_depth{queue="d"} 1.5e-07
# HELP rpcs_in_flight RPCs being served.
# TYPE rpcs_in_flight gauge
rpcs_in_flight 2
)");
}

TEST_CASE("metrics registry: histogram renders cumulative buckets sum and count") {
  Registry registry;
  auto& latency = registry.AddHistogram("rpc_handling_seconds", "Time to handle an RPC.",
                                        {"method"}, {0.25, 1, 2.5});
  auto& get = latency.WithLabels({"/x.Svc/Get"});
  for (const double seconds : {0.25, 0.5, 2.0, 4.0}) {
    get.Observe(seconds);
  }
  latency.WithLabels({"/y.Svc/\"Put\""});
  CHECK(registry.Render() ==
        R"(# HELP rpc_handling_seconds Time to handle an RPC.
# TYPE rpc_handling_seconds histogram
rpc_handling_seconds_bucket{method="/x.Svc/Get",le="0.25"} 1
rpc_handling_seconds_bucket{method="/x.Svc/Get",le="1"} 2
rpc_handling_seconds_bucket{method="/x.Svc/Get",le="2.5"} 3
rpc_handling_seconds_bucket{method="/x.Svc/Get",le="+Inf"} 4
rpc_handling_seconds_sum{method="/x.Svc/Get"} 6.75
rpc_handling_seconds_count{method="/x.Svc/Get"} 4
rpc_handling_seconds_bucket{method="/y.Svc/\"Put\"",le="0.25"} 0
rpc_handling_seconds_bucket{method="/y.Svc/\"Put\"",le="1"} 0
rpc_handling_seconds_bucket{method="/y.Svc/\"Put\"",le="2.5"} 0
rpc_handling_seconds_bucket{method="/y.Svc/\"Put\"",le="+Inf"} 0
rpc_handling_seconds_sum{method="/y.Svc/\"Put\""} 0
rpc_handling_seconds_count{method="/y.Svc/\"Put\""} 0
)");
}

TEST_CASE("metrics registry: histogram without labels and default latency buckets") {
  Registry registry;
  auto& latency = registry.AddHistogram("job_seconds", "Job time.", {}, LatencyBuckets());
  latency.WithLabels({}).Observe(0.0005);
  latency.WithLabels({}).Observe(20);
  const std::string page = registry.Render();
  CHECK(page.find("job_seconds_bucket{le=\"0.0005\"} 1\n") != std::string::npos);
  CHECK(page.find("job_seconds_bucket{le=\"0.001\"} 1\n") != std::string::npos);
  CHECK(page.find("job_seconds_bucket{le=\"10\"} 1\n") != std::string::npos);
  CHECK(page.find("job_seconds_bucket{le=\"+Inf\"} 2\n") != std::string::npos);
  CHECK(page.find("job_seconds_sum 20.0005\n") != std::string::npos);
  CHECK(page.find("job_seconds_count 2\n") != std::string::npos);
}

TEST_CASE("metrics registry: families are sorted by name and empty ones are left out") {
  Registry registry;
  registry.AddCounter("zeta_total", "Z.", {}).WithLabels({}).Increment();
  registry.AddGauge("alpha", "A.", {});
  registry.AddCounter("mid_total", "M.", {"never_used"});
  CHECK(registry.Render() ==
        R"(# HELP alpha A.
# TYPE alpha gauge
alpha 0
# HELP zeta_total Z.
# TYPE zeta_total counter
zeta_total 1
)");
}

TEST_CASE("metrics registry: adding the same family again returns it") {
  Registry registry;
  auto& first = registry.AddCounter("calls_total", "Calls.", {"method"});
  first.WithLabels({"m"}).Increment();
  auto& second = registry.AddCounter("calls_total", "Calls.", {"method"});
  CHECK(&first == &second);
  auto& latency = registry.AddHistogram("wait_seconds", "Wait.", {}, LatencyBuckets());
  CHECK(&latency == &registry.AddHistogram("wait_seconds", "Wait.", {}, LatencyBuckets()));
  CHECK(second.WithLabels({"m"}).Value() == 1);
}

TEST_CASE("metrics registry: child references stay valid as the family grows") {
  Registry registry;
  auto& calls = registry.AddCounter("calls_total", "Calls.", {"method"});
  Counter& first = calls.WithLabels({"first"});
  for (int i = 0; i < 1000; ++i) {
    calls.WithLabels({std::to_string(i)}).Increment();
  }
  first.Increment(5);
  CHECK(&first == &calls.WithLabels({"first"}));
  CHECK(calls.WithLabels({"first"}).Value() == 5);
}

TEST_CASE("metrics registry: process metrics stay off until enabled") {
  Registry registry;
  registry.AddGauge("up_seconds", "Uptime.", {});
  CHECK(registry.Render().find("process_") == std::string::npos);
  registry.EnableProcessMetrics();
  const std::string page = registry.Render();
  for (const char* name : {"process_cpu_seconds_total", "process_max_fds", "process_open_fds",
                           "process_resident_memory_bytes", "process_start_time_seconds",
                           "process_virtual_memory_bytes"}) {
    INFO(name);
    CHECK(page.find(std::string("\n") + name + " ") != std::string::npos);
  }
  CHECK(page.find("# TYPE process_cpu_seconds_total counter\n") != std::string::npos);
  CHECK(page.find("# TYPE process_open_fds gauge\n") != std::string::npos);
  // Sorted among the registered families.
  CHECK(page.find("process_virtual_memory_bytes") < page.find("up_seconds"));
}

}  // namespace
}  // namespace bitcontent::metrics
