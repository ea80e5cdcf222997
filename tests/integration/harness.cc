#include "tests/integration/harness.h"

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/http/client.h"

namespace bitcontent::testing {

launch::SuiteOptions CheapAccounts(std::vector<std::string> extra_accounts_args) {
  std::vector<std::string> args = {"--auth_key_hash_ops=1", "--auth_key_hash_mem_bytes=8192",
                                   "--client_kdf_ops_min=1", "--client_kdf_mem_bytes_min=8192"};
  args.insert(args.end(), extra_accounts_args.begin(), extra_accounts_args.end());
  return {.extra_args = {{"accounts", args}}};
}

namespace fs = std::filesystem;

std::string BinaryDir() { return BITCONTENT_BINARY_DIR; }

fs::path NewTestDirectory(absl::string_view label) {
  static std::atomic<int> counter{0};
  fs::path dir = fs::path(BinaryDir()) / "test-runs" /
                 absl::StrCat(label, "-", getpid(), "-", counter.fetch_add(1));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TestSuite::TestSuite(std::vector<std::string> services, launch::SuiteOptions options)
    : var_dir_(NewTestDirectory("suite")) {
  options.binary_dir = BinaryDir();
  options.var_dir = var_dir_.string();
  options.services = std::move(services);
  absl::StatusOr<std::unique_ptr<launch::Suite>> started = launch::Suite::Start(options);
  if (!started.ok()) {
    FAIL("the suite did not start: " << started.status().message());
  }
  suite_ = std::move(*started);
}

TestSuite::~TestSuite() {
  suite_.reset();
  std::error_code ignored;
  fs::remove_all(var_dir_, ignored);
}

absl::Status PromtoolCheckMetrics(const std::string& page) {
  const fs::path file = NewTestDirectory("promtool") / "metrics.txt";
  std::ofstream(file) << page;
  const std::string command = absl::StrCat("promtool check metrics < '", file.string(), "' 2>&1");
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return absl::UnavailableError("cannot run promtool");
  std::string output;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0;) output.append(buffer, n);
  const int status = pclose(pipe);
  fs::remove_all(file.parent_path());
  if (status != 0 || !output.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "promtool check metrics (exit status ", status, ") says:\n", output,
        status == 127 * 256 ? "\npromtool is missing: ./dev installs Debian's prometheus" : ""));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> HttpGet(const std::string& address, const std::string& path,
                                    int* status_code) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(absl::StrCat("not host:port: ", address));
  }
  absl::StatusOr<http::ClientResponse> response =
      http::Fetch({.host = address.substr(0, colon), .port = static_cast<uint16_t>(port)},
                  {.method = "GET", .target = path});
  if (!response.ok()) return response.status();
  if (status_code != nullptr) *status_code = response->status;
  return response->body;
}

uint64_t GatewayMetric(TestSuite& suite, absl::string_view series) {
  absl::StatusOr<std::string> page = HttpGet(suite->addresses("gateway").at("admin"), "/metrics");
  REQUIRE(page.ok());
  for (absl::string_view line : absl::StrSplit(*page, '\n')) {
    if (!absl::ConsumePrefix(&line, series) || !absl::ConsumePrefix(&line, " ")) continue;
    double value = 0;
    REQUIRE(absl::SimpleAtod(line, &value));
    return static_cast<uint64_t>(value);
  }
  return 0;
}

uint64_t Answered(TestSuite& suite, absl::string_view route) {
  absl::StatusOr<std::string> page = HttpGet(suite->addresses("gateway").at("admin"), "/metrics");
  REQUIRE(page.ok());
  uint64_t answered = 0;
  for (absl::string_view line : absl::StrSplit(*page, '\n')) {
    if (!absl::ConsumePrefix(&line, "gateway_http_requests_total{route=\"")) continue;
    const size_t end = line.find("\",code=\"200\"} ");
    if (end == absl::string_view::npos || (!route.empty() && line.substr(0, end) != route)) {
      continue;
    }
    double value = 0;
    REQUIRE(absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value));
    answered += static_cast<uint64_t>(value);
  }
  return answered;
}

}  // namespace bitcontent::testing
