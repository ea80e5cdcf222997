#include "tests/integration/cli_device.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "libs/launch/process.h"

namespace bitcontent::testing {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kCheapKdf = {"--kdf-ops=1", "--kdf-mem-bytes=8192"};

}  // namespace

Device::Device(TestSuite& suite, std::string name)
    : name_(std::move(name)),
      dir_(suite.var_dir() / ("device-" + name_)),
      server_("http://" + suite->addresses("gateway").at("public_rest")),
      grpc_server_(suite->addresses("gateway").at("public_grpc")) {
  fs::create_directories(dir_);
}

CliResult Device::Run(const std::vector<std::string>& args, const std::string& input) const {
  std::vector<std::string> full = {"--device-name=" + name_};
  full.insert(full.end(), kCheapKdf.begin(), kCheapKdf.end());
  full.insert(full.end(), args.begin(), args.end());
  return RunBinary("clients/cli/bitcontent", std::move(full), input);
}

CliResult Device::RunAdmin(const std::vector<std::string>& args) const {
  std::vector<std::string> full = {"--grpc-server=" + grpc_server_};
  full.insert(full.end(), args.begin(), args.end());
  return RunBinary("clients/admin/bitcontent-admin", std::move(full), "");
}

std::unique_ptr<launch::Process> Device::Start(const std::vector<std::string>& args,
                                               const std::string& input) const {
  std::vector<std::string> full = {"--device-name=" + name_};
  full.insert(full.end(), kCheapKdf.begin(), kCheapKdf.end());
  full.insert(full.end(), args.begin(), args.end());
  return StartBinary("clients/cli/bitcontent", std::move(full), input);
}

std::unique_ptr<launch::Process> Device::StartBinary(const std::string& binary,
                                                     std::vector<std::string> args,
                                                     const std::string& input) const {
  const fs::path input_file = dir_ / "stdin";
  std::ofstream(input_file) << input;
  fs::remove(output_path());
  args.insert(args.begin(), {"--server=" + server_, "--config-dir=" + (dir_ / "config").string()});
  std::string command = BinaryDir() + "/" + binary;
  for (const std::string& arg : args) command += " '" + arg + "'";
  // exec: the process is the binary itself, so a signal reaches it.
  absl::StatusOr<std::unique_ptr<launch::Process>> process = launch::Process::Start(
      {.name = fs::path(binary).filename().string(),
       .binary = "sh",
       .args = {"-c", "exec " + command + " < '" + input_file.string() + "'"},
       .log_path = output_path().string()});
  return process.ok() ? *std::move(process) : nullptr;
}

CliResult Device::RunBinary(const std::string& binary, std::vector<std::string> args,
                            const std::string& input) const {
  std::unique_ptr<launch::Process> process = StartBinary(binary, std::move(args), input);
  CliResult result;
  if (process == nullptr) return result;
  result.exit_code = process->Wait(absl::Seconds(120)).value_or(-1);
  std::stringstream output;
  output << std::ifstream(output_path()).rdbuf();
  result.output = output.str();
  return result;
}

Laptop::Laptop(launch::SuiteOptions options)
    : suite({"accounts", "metadata", "blobs", "gateway"}, std::move(options)),
      device(suite, "laptop"),
      work(suite.var_dir() / "files") {
  REQUIRE(device.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  fs::create_directories(work);
}

CliResult MustRun(const Device& device, const std::vector<std::string>& args) {
  CliResult result = device.Run(args);
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  return result;
}

}  // namespace bitcontent::testing
