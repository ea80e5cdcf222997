// What the benchmarks that start the suite share: a suite started on loopback with cheap
// password hashing and quiet logs, members signed up through the gateway, and the way
// a benchmark reports a failure. Each benchmark keeps only what it measures.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/launch/suite.h"

namespace bitcontent::bench {

// Prints "`bench`: `what`: message" on stderr and returns 1, the exit code of a failed run.
int Fail(absl::string_view bench, absl::string_view what, const absl::Status& status);

// Starts `services` from the build tree `build` under `var`, each with --log_level=warn,
// accounts hashing at its cheapest (members sign up in milliseconds), the gateway without
// rate limits, and `extra_args` added per service.
absl::StatusOr<std::unique_ptr<launch::Suite>> StartSuite(
    const std::filesystem::path& build, const std::filesystem::path& var,
    std::vector<std::string> services,
    std::map<std::string, std::vector<std::string>> extra_args = {});

// A member signed up through the gateway at `rest_address` ("host:port").
struct Member {
  std::string token;    // a fresh access token
  std::string user_id;  // the id after "users/"
  std::filesystem::path config_dir;
};
absl::StatusOr<Member> SignUp(const std::string& rest_address,
                              const std::filesystem::path& config_dir, const std::string& email);

// The CPU time (user and system) a running process has used so far, in seconds, from
// /proc/<pid>/stat; 0 when it cannot be read.
double CpuSeconds(pid_t pid);

// The value below which a fraction `p` (0..1) of the sorted `values` lie.
double Percentile(const std::vector<double>& sorted, double p);

// The middle of `values` (an odd number of them: the rounds of a benchmark); 0 for none.
double Median(std::vector<double> values);

}  // namespace bitcontent::bench
