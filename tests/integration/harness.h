// The integration-test harness: every integration test starts real service binaries
// (and a real redis-server) through it, on ports the OS picks on loopback, each test in
// its own var directory. Everything started is stopped when the TestSuite goes out of
// scope, also when an assertion fails (Catch2 unwinds) and, through PR_SET_PDEATHSIG,
// when the test process itself dies.
//
//   TestSuite suite({"wallet"});             // redis + wallet, ready (SERVING)
//   auto stub = Diagnostics::NewStub(kit::NewChannel(suite->grpc_address("wallet")));
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/launch/suite.h"

namespace bitcontent::testing {

// The build tree, where service binaries live (set by CMake).
std::string BinaryDir();

// A fresh, empty directory under the build tree for one test; the caller removes it.
std::filesystem::path NewTestDirectory(absl::string_view label);

// Accounts accepting Argon2id at its cheapest (and clients told to use it), so tests
// sign members up in milliseconds. `extra_accounts_args` are added to accounts' flags.
launch::SuiteOptions CheapAccounts(std::vector<std::string> extra_accounts_args = {});

class TestSuite {
 public:
  // Starts the named services (all seven by default) with `options` otherwise as
  // given; binary_dir and var_dir are filled in. Fails the current test (REQUIRE) with
  // the reason and the failing process's log tail when anything does not start.
  explicit TestSuite(std::vector<std::string> services = launch::AllServices(),
                     launch::SuiteOptions options = {});
  ~TestSuite();

  launch::Suite* operator->() { return suite_.get(); }
  launch::Suite& operator*() { return *suite_; }
  const std::filesystem::path& var_dir() const { return var_dir_; }

 private:
  std::filesystem::path var_dir_;
  std::unique_ptr<launch::Suite> suite_;
};

// Runs `promtool check metrics` on a /metrics page. OK when promtool accepts it
// without a single complaint; otherwise the complaints.
absl::Status PromtoolCheckMetrics(const std::string& page);

// GETs http://`address``path` with a 5 s timeout; returns the body, or an error that
// names the status code.
absl::StatusOr<std::string> HttpGet(const std::string& address, const std::string& path,
                                    int* status_code = nullptr);

// Requests of `route` ("GET /v1/nodes/{node}") the gateway has answered 200, from its
// metrics; of every route when `route` is empty.
uint64_t Answered(TestSuite& suite, absl::string_view route);

// The value of one series of the gateway's /metrics, `gateway_chunk_bodies_total{from="file"}`;
// 0 when the page has no such line yet.
uint64_t GatewayMetric(TestSuite& suite, absl::string_view series);

}  // namespace bitcontent::testing
