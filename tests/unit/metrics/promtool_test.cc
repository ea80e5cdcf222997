// Every page this library renders must pass `promtool check metrics` (DESIGN.md), the
// parser and linter Prometheus ships. Needs /usr/bin/promtool from the Debian package
// `prometheus`; without it these tests fail rather than skip, so that a missing tool
// cannot pass for a clean page.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>

#include "libs/metrics/registry.h"

namespace bitcontent::metrics {
namespace {

std::optional<std::string> FindPromtool() {
  const char* path = std::getenv("PATH");
  std::string_view directories = path == nullptr ? "" : path;
  while (!directories.empty()) {
    const std::size_t colon = std::min(directories.find(':'), directories.size());
    const std::string_view directory = directories.substr(0, colon);
    directories.remove_prefix(std::min(colon + 1, directories.size()));
    const std::string candidate = std::string(directory) + "/promtool";
    if (!directory.empty() && access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  if (access("/usr/bin/promtool", X_OK) == 0) {
    return "/usr/bin/promtool";
  }
  return std::nullopt;
}

struct CheckResult {
  int exit_status = -1;
  std::string output;  // stdout and stderr together.
};

// Feeds `page` to `promtool check metrics` on its standard input.
CheckResult RunPromtoolCheck(const std::string& promtool, const std::string& page) {
  char path_template[] = "/tmp/metrics_promtool_XXXXXX";
  const int fd = mkstemp(path_template);
  REQUIRE(fd >= 0);
  close(fd);
  const std::string path = path_template;
  {
    std::ofstream file(path, std::ios::binary);
    file << page;
  }
  const std::string command = "'" + promtool + "' check metrics < '" + path + "' 2>&1";
  CheckResult result;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    result.output.append(buffer, count);
  }
  const int status = pclose(pipe);
  std::filesystem::remove(path);
  if (status != -1 && WIFEXITED(status)) {
    result.exit_status = WEXITSTATUS(status);
  }
  return result;
}

// A page with every metric type, label values that need escaping, histograms with and
// without labels, the overflow child and the process metrics.
std::string FullPage() {
  Registry registry;
  registry.EnableProcessMetrics();
  auto& handled = registry.AddCounter("grpc_server_handled_total",
                                      "RPCs completed, by method and status code.\nSee \\docs.",
                                      {"grpc_method", "grpc_code"}, 3);
  handled.WithLabels({"/bitcontent.wallet.v1.Wallet/Transfer", "OK"}).Increment();
  handled.WithLabels({"/a\"quoted\"/b\\c\nnewline", "INTERNAL"}).Increment(1e6);
  handled.WithLabels({"caf\xC3\xA9 \xE2\x82\xAC", "OK"}).Increment(0.5);
  handled.WithLabels({"over", "the limit"}).Increment(7);
  handled.WithLabels({"not utf-8 \xFF", "OK"}).Increment();
  auto& latency =
      registry.AddHistogram("grpc_server_handling_seconds", "Time to handle an RPC, in seconds.",
                            {"grpc_method"}, LatencyBuckets());
  latency.WithLabels({"/bitcontent.wallet.v1.Wallet/Transfer"}).Observe(0.0123);
  latency.WithLabels({"/x\"y\\z\n"}).Observe(42);
  registry.AddHistogram("chunk_size_bytes", "Chunk sizes.", {}, ExponentialBuckets(1024, 4, 8))
      .WithLabels({})
      .Observe(1 << 20);
  auto& inflight = registry.AddGauge("grpc_server_in_flight", "RPCs being served.", {});
  inflight.WithLabels({}).Add(3);
  auto& temperature = registry.AddGauge("sensor_celsius", "Odd gauge values.", {"sensor"});
  temperature.WithLabels({"nan"}).Set(std::numeric_limits<double>::quiet_NaN());
  temperature.WithLabels({"plus"}).Set(std::numeric_limits<double>::infinity());
  temperature.WithLabels({"minus"}).Set(-std::numeric_limits<double>::infinity());
  temperature.WithLabels({"tiny"}).Set(-1.5e-9);
  temperature.WithLabels({"huge"}).Set(6.02214076e23);
  return registry.Render();
}

TEST_CASE("metrics promtool: check metrics accepts a page with every feature") {
  const std::optional<std::string> promtool = FindPromtool();
  if (!promtool.has_value()) {
    FAIL(
        "promtool not found on PATH or at /usr/bin/promtool; install the Debian package "
        "`prometheus`");
  }
  const std::string page = FullPage();
  INFO("page:\n" << page);
  // Guard against a page that passes because it lost its content.
  REQUIRE(page.find("grpc_server_handled_total{grpc_method=\"/a\\\"quoted\\\"/b\\\\c\\nnewline"
                    "\",grpc_code=\"INTERNAL\"} 1000000\n") != std::string::npos);
  REQUIRE(page.find("grpc_server_handled_total{grpc_method=\"__overflow__\"") != std::string::npos);
  REQUIRE(page.find("\nprocess_resident_memory_bytes ") != std::string::npos);
  REQUIRE(page.find("chunk_size_bytes_bucket{le=\"+Inf\"} 1\n") != std::string::npos);
  const CheckResult result = RunPromtoolCheck(*promtool, page);
  INFO("promtool output:\n" << result.output);
  CHECK(result.exit_status == 0);
  CHECK(result.output.empty());
}

TEST_CASE("metrics promtool: the check catches a page with problems") {
  // Proves the harness above can fail: promtool must complain about these pages.
  const std::optional<std::string> promtool = FindPromtool();
  if (!promtool.has_value()) {
    FAIL(
        "promtool not found on PATH or at /usr/bin/promtool; install the Debian package "
        "`prometheus`");
  }
  const CheckResult lint =
      RunPromtoolCheck(*promtool, "# HELP calls Calls.\n# TYPE calls counter\ncalls 1\n");
  INFO("promtool output:\n" << lint.output);
  CHECK(lint.exit_status != 0);
  CHECK(lint.output.find("_total") != std::string::npos);
  const CheckResult parse =
      RunPromtoolCheck(*promtool, "# HELP x X.\n# TYPE x gauge\nx{a=\"unterminated} 1\n");
  INFO("promtool output:\n" << parse.output);
  CHECK(parse.exit_status != 0);
  CHECK_FALSE(parse.output.empty());
}

}  // namespace
}  // namespace bitcontent::metrics
