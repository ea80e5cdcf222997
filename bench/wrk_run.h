// Runs wrk (Debian's package), the load generator of the benchmarks that measure requests
// through the gateway: written in C, two threads each driving many keep-alive
// connections from one epoll loop, so the client's own CPU takes little from the suite
// it measures on the same two cores. A Lua script (wrk's -s) shapes each request when
// the benchmark needs more than one fixed URL.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace bitcontent::bench {

struct WrkRun {
  std::string url = {};
  std::vector<std::string> headers = {};  // "Name: value", each sent with every request
  std::string script = {};                // a Lua file (empty: none)
  std::vector<std::string> script_args = {};
  int threads = 2;
  int connections = 64;
  absl::Duration duration = absl::Seconds(10);
};

struct WrkResult {
  double requests_per_second = 0;
  double seconds = 0;  // how long it ran
  double p99_ms = 0;
  double cpu_seconds = 0;   // wrk's own, user and system
  std::string output = {};  // wrk's whole report, with whatever the script printed
};

// Runs wrk with --latency; an error when it cannot run, or when any answer was not 2xx
// or any request failed (connect, read, write or timeout errors).
absl::StatusOr<WrkResult> RunWrk(const WrkRun& run);

}  // namespace bitcontent::bench
