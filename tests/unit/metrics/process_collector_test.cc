#include "libs/metrics/process_collector.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <string>

namespace bitcontent::metrics {
namespace {

// A /proc/<pid>/stat line whose command name holds spaces and parentheses.
constexpr std::string_view kStatLine =
    "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 1000 0 0 0 "
    "250 150 0 0 20 0 4 0 12345 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 "
    "0 17 1 0 0 0 0 0\n";

TEST_CASE("metrics process_collector: parses /proc/self/stat fields") {
  const absl::StatusOr<ProcessStat> stat = ParseProcessStat(kStatLine, 100, 4096);
  REQUIRE(stat.ok());
  CHECK(stat->cpu_seconds == 4.0);  // (250 + 150) ticks at 100 per second.
  CHECK(stat->virtual_memory_bytes == 104857600);
  CHECK(stat->resident_memory_bytes == 2560.0 * 4096);
  CHECK(stat->start_seconds_after_boot == 123.45);
}

TEST_CASE("metrics process_collector: rejects malformed stat lines") {
  CHECK_FALSE(ParseProcessStat("4242 no parenthesis", 100, 4096).ok());
  CHECK_FALSE(ParseProcessStat("4242 (cmd) S 1 2 3", 100, 4096).ok());
  std::string not_a_number(kStatLine);
  not_a_number.replace(not_a_number.find(" 250 "), 5, " x50 ");
  CHECK_FALSE(ParseProcessStat(not_a_number, 100, 4096).ok());
}

TEST_CASE("metrics process_collector: parses btime from /proc/stat") {
  const absl::StatusOr<double> boot =
      ParseBootTimeSeconds("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n");
  REQUIRE(boot.ok());
  CHECK(*boot == 1700000000);
  CHECK_FALSE(ParseBootTimeSeconds("cpu 1 2 3\n").ok());
  CHECK_FALSE(ParseBootTimeSeconds("btime soon\n").ok());
}

TEST_CASE("metrics process_collector: reads plausible values for this process") {
  std::map<std::string, double> values;
  for (const ProcessMetric& metric : CollectProcessMetrics()) {
    values[std::string(metric.name)] = metric.value;
  }
  REQUIRE(values.size() == ProcessMetricNames().size());
  const double now_seconds =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  CHECK(values["process_resident_memory_bytes"] > 0);
  CHECK(values["process_virtual_memory_bytes"] >= values["process_resident_memory_bytes"]);
  CHECK(values["process_cpu_seconds_total"] >= 0);
  CHECK(values["process_open_fds"] >= 3);  // stdin, stdout, stderr at least.
  CHECK(values["process_max_fds"] >= values["process_open_fds"]);
  CHECK(values["process_start_time_seconds"] > now_seconds - 24 * 3600);
  CHECK(values["process_start_time_seconds"] <= now_seconds + 1);
}

}  // namespace
}  // namespace bitcontent::metrics
