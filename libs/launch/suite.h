// Starts the whole BitContent suite, or part of it, as real processes on loopback: a
// redis-server and the service binaries, each with its data under a var directory,
// waits until every one answers health checks, and stops them all on destruction.
// `./dev up` (deploy/local) and the integration tests (tests/integration/harness.h)
// are its two users, so what a test starts is what a developer runs.
//
// Layout under var_dir: data/<service>/ (durable state), run/<service>.json (address
// files), log/<service>.log (each process's output).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/launch/process.h"

namespace bitcontent::launch {

// Every service, in start order: the gateway last, since it fronts the others.
const std::vector<std::string>& AllServices();

struct SuiteOptions {
  std::string binary_dir = {};  // the CMake build tree holding services/<name>/bitcontent-<name>
  std::string var_dir = {};     // created when missing
  std::vector<std::string> services = AllServices();
  bool redis = true;
  // 0: the OS picks every port (tests). Otherwise fixed ports from this base, listed
  // in docs/operations.md (./dev up, so addresses stay the same between runs).
  int port_base = 0;
  std::map<std::string, std::vector<std::string>> extra_args = {};     // by service name
  std::map<std::string, std::map<std::string, std::string>> env = {};  // by service name
  absl::Duration start_timeout = absl::Seconds(30);
  absl::Duration stop_grace = absl::Seconds(10);
};

// Addresses of one service by kind: "grpc", "admin", and for the gateway
// "public_rest" and "public_grpc".
using Addresses = std::map<std::string, std::string>;

class Suite {
 public:
  // Starts redis (if asked) and the services in order, each ready before the next.
  // On failure stops what it started and says which process failed and why, with the
  // tail of its log.
  static absl::StatusOr<std::unique_ptr<Suite>> Start(SuiteOptions options);

  // Stops everything still running.
  ~Suite();

  // The addresses `service` bound; empty when it was not started.
  Addresses addresses(const std::string& service) const;
  // Shorthand for addresses(service)["grpc"].
  std::string grpc_address(const std::string& service) const;
  // "127.0.0.1:port" of redis; empty without redis.
  const std::string& redis_address() const { return redis_address_; }
  // The running process of `name` (a service or "redis"); nullptr when stopped.
  Process* process(const std::string& name);
  const SuiteOptions& options() const { return options_; }

  // Stops one service or "redis" (SIGTERM, then SIGKILL after `grace`); returns its
  // exit code.
  absl::StatusOr<int> StopService(const std::string& service, absl::Duration grace);
  // Starts a stopped service (or "redis") again, on the same addresses and data, and
  // waits until it is ready.
  absl::Status StartService(const std::string& service);

  // Stops every process, services in reverse start order, then redis. Returns the
  // first failure (a process that would not exit, or exited non-zero).
  absl::Status Stop();

  // Where the output of `name` (a service or "redis") goes.
  std::string LogPath(const std::string& name) const;

  // {"redis": "...", "services": {"<name>": {"grpc": "...", ...}}}: what ./dev up
  // writes to var/run/endpoints.json.
  std::string EndpointsJson() const;

 private:
  explicit Suite(SuiteOptions options) : options_(std::move(options)) {}

  // Redis and every service, for Start.
  absl::Status StartAll();
  // Starts redis on a free port (or the planned one), retrying if the port is taken.
  absl::Status StartRedis();
  absl::Status StartRedisOn(int port);
  std::vector<std::string> ServiceArgs(const std::string& service) const;
  absl::Status WaitUntilReady(const std::string& service);

  const SuiteOptions options_;
  std::string redis_address_;
  std::map<std::string, std::unique_ptr<Process>> processes_;
  std::map<std::string, Addresses> addresses_;
  std::vector<std::string> started_;  // services in start order
};

}  // namespace bitcontent::launch
