// The real command-line tools as a member or operator runs them: a Device is a config
// directory of its own, from which `bitcontent` and `bitcontent-admin` run as processes
// against a TestSuite's gateway, with their exit code and output collected.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "libs/launch/process.h"
#include "libs/launch/suite.h"
#include "tests/integration/harness.h"

namespace bitcontent::testing {

struct CliResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

class Device {
 public:
  Device(TestSuite& suite, std::string name);

  void set_server(std::string server) { server_ = std::move(server); }
  void set_grpc_server(std::string grpc_server) { grpc_server_ = std::move(grpc_server); }

  // Runs `bitcontent args...` with `input` on stdin (one password per line).
  CliResult Run(const std::vector<std::string>& args, const std::string& input = "") const;
  // Runs `bitcontent-admin args...` with this device's login.
  CliResult RunAdmin(const std::vector<std::string>& args) const;
  // Starts `bitcontent args...` without waiting (`input` on stdin, output to
  // `output_path()`), so a test can kill it midway; the process is the CLI itself, not a
  // shell.
  std::unique_ptr<launch::Process> Start(const std::vector<std::string>& args,
                                         const std::string& input = "") const;
  std::filesystem::path output_path() const { return dir_ / "out"; }

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path credentials() const { return dir_ / "config" / "credentials.json"; }

 private:
  CliResult RunBinary(const std::string& binary, std::vector<std::string> args,
                      const std::string& input) const;
  std::unique_ptr<launch::Process> StartBinary(const std::string& binary,
                                               std::vector<std::string> args,
                                               const std::string& input) const;

  const std::string name_;
  const std::filesystem::path dir_;
  std::string server_;
  std::string grpc_server_;
};

// The services files need, and Ada signed up on her laptop, with a directory for her
// local files: what most tests of the member CLI start from.
struct Laptop {
  explicit Laptop(launch::SuiteOptions options = CheapAccounts());

  TestSuite suite;
  Device device;
  const std::filesystem::path work;
};

// Runs `bitcontent args...` on `device` and fails the test, showing the output, unless
// it exits 0.
CliResult MustRun(const Device& device, const std::vector<std::string>& args);

}  // namespace bitcontent::testing
