#include "libs/launch/suite.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "libs/kit/serve.h"
#include "libs/launch/address_book.h"
#include "libs/launch/free_port.h"
#include "libs/launch/health.h"

namespace bitcontent::launch {
namespace {

namespace fs = std::filesystem;

// Port offsets from SuiteOptions::port_base; docs/operations.md lists them.
struct PortPlan {
  int grpc;
  int admin;
  int public_rest;  // gateway only
  int public_grpc;  // gateway only
};
const std::map<std::string, PortPlan>& PortPlans() {
  static const auto* plans = new std::map<std::string, PortPlan>{
      {"gateway", {2, 3, 0, 1}},      {"accounts", {10, 11, -1, -1}},
      {"metadata", {20, 21, -1, -1}}, {"blobs", {30, 31, -1, -1}},
      {"wallet", {40, 41, -1, -1}},   {"pricing", {50, 51, -1, -1}},
      {"streaming", {60, 61, -1, -1}}};
  return *plans;
}
constexpr int kRedisPortOffset = 99;

std::string Loopback(int port) { return absl::StrCat("127.0.0.1:", port); }

std::string Tail(const std::string& path, size_t lines_max) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > lines_max) lines.erase(lines.begin());
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace

const std::vector<std::string>& AllServices() {
  static const auto* services = new std::vector<std::string>{
      "accounts", "metadata", "blobs", "wallet", "pricing", "streaming", "gateway"};
  return *services;
}

absl::StatusOr<std::unique_ptr<Suite>> Suite::Start(SuiteOptions options) {
  for (const char* sub : {"data", "run", "log"}) {
    std::error_code error;
    fs::create_directories(fs::path(options.var_dir) / sub, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("cannot create ", options.var_dir, "/", sub, ": ", error.message()));
    }
  }
  for (const std::string& service : options.services) {
    if (!PortPlans().contains(service)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown service '", service, "'"));
    }
  }
  // Every service's gRPC port is picked in advance (free_port.h), blobs' and pricing's
  // before any service starts: metadata calls both, and both call metadata. Other ports
  // are bound where the OS says (port 0) and known once up. A free port picked in advance can be
  // taken by another process before its service binds it; the service then exits saying
  // so, and the whole suite starts again on new ports.
  absl::Status last;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::unique_ptr<Suite> suite(new Suite(options));
    last = suite->StartAll();
    if (last.ok()) return suite;
    if (options.port_base != 0 || !absl::StrContains(last.message(), kit::kGrpcAddressInUse)) break;
  }
  return last;
}

absl::Status Suite::StartAll() {
  for (const std::string& service : options_.services) {
    if (service != "blobs" && service != "pricing") continue;
    const int port = options_.port_base == 0 ? FreeLoopbackPort()
                                             : options_.port_base + PortPlans().at(service).grpc;
    addresses_[service]["grpc"] = Loopback(port);
  }
  if (options_.redis) {
    if (absl::Status status = StartRedis(); !status.ok()) return status;
  }
  for (const std::string& service : options_.services) {
    if (absl::Status status = StartService(service); !status.ok()) return status;
  }
  return absl::OkStatus();
}

Suite::~Suite() { (void)Stop(); }

std::string Suite::LogPath(const std::string& name) const {
  return (fs::path(options_.var_dir) / "log" / (name + ".log")).string();
}

absl::Status Suite::StartRedis() {
  absl::Status last = absl::UnavailableError("redis-server did not start");
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port =
        options_.port_base != 0 ? options_.port_base + kRedisPortOffset : FreeLoopbackPort();
    last = StartRedisOn(port);
    if (last.ok() || options_.port_base != 0) break;  // A fixed port taken stays taken.
  }
  return last;
}

absl::Status Suite::StartRedisOn(int port) {
  const std::string dir = (fs::path(options_.var_dir) / "data" / "redis").string();
  fs::create_directories(dir);
  // Redis holds only what can be rebuilt (rate limits, revocations, fan-out), so it
  // runs without persistence.
  absl::StatusOr<std::unique_ptr<Process>> process =
      Process::Start({.name = "redis",
                      .binary = "redis-server",
                      .args = {"--bind", "127.0.0.1", "--port", std::to_string(port), "--save", "",
                               "--appendonly", "no", "--dir", dir, "--daemonize", "no"},
                      .log_path = LogPath("redis")});
  if (!process.ok()) return process.status();
  absl::Status last = absl::UnavailableError("redis-server exited at once");
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline && (*process)->Running()) {
    last = PingRedis("127.0.0.1", port, absl::Milliseconds(500));
    if (last.ok()) {
      redis_address_ = Loopback(port);
      processes_["redis"] = std::move(*process);
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  (void)(*process)->Stop(absl::Seconds(2));
  return absl::UnavailableError(absl::StrCat("redis-server did not start on port ", port, ": ",
                                             last.message(), "\n", Tail(LogPath("redis"), 10)));
}

std::vector<std::string> Suite::ServiceArgs(const std::string& service) const {
  const PortPlan& plan = PortPlans().at(service);
  const auto address = [&](const char* kind, int offset) {
    auto known = addresses_.find(service);
    if (known != addresses_.end() && known->second.contains(kind)) return known->second.at(kind);
    if (options_.port_base != 0) return Loopback(options_.port_base + offset);
    // A gRPC port is picked outside the kernel's outgoing range, since a test may stop
    // the service and start it again there while clients keep calling (free_port.h); a
    // port taken meanwhile makes the service exit, and the suite start again.
    return Loopback(std::string_view(kind) == "grpc" ? FreeLoopbackPort() : 0);
  };
  const fs::path var(options_.var_dir);
  std::vector<std::string> args = {
      "--grpc_address=" + address("grpc", plan.grpc),
      "--admin_address=" + address("admin", plan.admin),
      "--address_file=" + (var / "run" / (service + ".json")).string(),
      "--data_dir=" + (var / "data" / service).string(),
  };
  // Services that keep rebuildable state in Redis: the gateway's rate limits and
  // revocation checks, and accounts, which publishes revocations.
  if (!redis_address_.empty() && (service == "gateway" || service == "accounts")) {
    args.push_back("--redis_address=" + redis_address_);
  }
  // Services other than accounts verify access tokens with the keys accounts publishes;
  // blobs verifies grants with the keys metadata publishes.
  if (service != "gateway" && service != "accounts" && addresses_.contains("accounts")) {
    args.push_back("--accounts_target=" + addresses_.at("accounts").at("grpc"));
  }
  if (service == "blobs" && addresses_.contains("metadata")) {
    args.push_back("--metadata_target=" + addresses_.at("metadata").at("grpc"));
  }
  if (service == "metadata" && addresses_.contains("blobs")) {
    args.push_back("--blobs_target=" + addresses_.at("blobs").at("grpc"));
  }
  if (service == "metadata" && addresses_.contains("pricing")) {
    args.push_back("--pricing_target=" + addresses_.at("pricing").at("grpc"));
  }
  // Pricing reads nodes from metadata and moves money through the wallet.
  if (service == "pricing") {
    for (const char* peer : {"metadata", "wallet"}) {
      if (addresses_.contains(peer)) {
        args.push_back(absl::StrCat("--", peer, "_target=", addresses_.at(peer).at("grpc")));
      }
    }
  }
  if (service == "gateway") {
    args.push_back("--public_rest_address=" + address("public_rest", plan.public_rest));
    args.push_back("--public_grpc_address=" + address("public_grpc", plan.public_grpc));
    for (const auto& [name, known] : addresses_) {
      if (name != "gateway") args.push_back(absl::StrCat("--", name, "_target=", known.at("grpc")));
    }
    // One machine, one user: the gateway sends chunk downloads from blobs' files.
    if (addresses_.contains("blobs")) args.push_back("--blobs_local_files");
  }
  if (auto extra = options_.extra_args.find(service); extra != options_.extra_args.end()) {
    args.insert(args.end(), extra->second.begin(), extra->second.end());
  }
  return args;
}

absl::Status Suite::StartService(const std::string& service) {
  if (service == "redis") {
    if (redis_address_.empty()) return absl::FailedPreconditionError("redis was never started");
    if (process("redis") != nullptr) return absl::FailedPreconditionError("redis is running");
    return StartRedisOn(std::stoi(redis_address_.substr(redis_address_.rfind(':') + 1)));
  }
  if (processes_.contains(service) && processes_[service]->Running()) {
    return absl::FailedPreconditionError(absl::StrCat(service, " is already running"));
  }
  const fs::path address_file = fs::path(options_.var_dir) / "run" / (service + ".json");
  fs::remove(address_file);  // A stale file from an earlier run must not count as ready.
  fs::create_directories(fs::path(options_.var_dir) / "data" / service);
  std::map<std::string, std::string> env;
  if (auto it = options_.env.find(service); it != options_.env.end()) env = it->second;
  absl::StatusOr<std::unique_ptr<Process>> process = Process::Start(
      {.name = service,
       .binary = (fs::path(options_.binary_dir) / "services" / service / ("bitcontent-" + service))
                     .string(),
       .args = ServiceArgs(service),
       .env = env,
       .log_path = LogPath(service)});
  if (!process.ok()) return process.status();
  processes_[service] = std::move(*process);
  if (absl::Status status = WaitUntilReady(service); !status.ok()) {
    (void)processes_[service]->Stop(absl::Seconds(2));
    return status;
  }
  if (std::find(started_.begin(), started_.end(), service) == started_.end()) {
    started_.push_back(service);
  }
  return absl::OkStatus();
}

absl::Status Suite::WaitUntilReady(const std::string& service) {
  Process& process = *processes_[service];
  const std::string address_file =
      (fs::path(options_.var_dir) / "run" / (service + ".json")).string();
  const absl::Time deadline = absl::Now() + options_.start_timeout;
  absl::Status last = absl::DeadlineExceededError("no address file yet");
  while (absl::Now() < deadline) {
    if (!process.Running()) {
      return absl::UnavailableError(
          absl::StrCat(service, " exited during start-up:\n", Tail(LogPath(service), 20)));
    }
    absl::StatusOr<std::map<std::string, std::string>> book = ReadAddressFile(address_file);
    if (book.ok() && book->at("pid") == std::to_string(process.pid())) {
      last = CheckGrpcHealth(book->at("grpc"), absl::Seconds(1));
      if (last.ok()) {
        book->erase("pid");
        book->erase("service");
        addresses_[service] = std::move(*book);
        return absl::OkStatus();
      }
    } else if (!book.ok()) {
      last = book.status();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      service, " was not SERVING within ", absl::FormatDuration(options_.start_timeout), ": ",
      last.message(), "\n", Tail(LogPath(service), 20)));
}

Addresses Suite::addresses(const std::string& service) const {
  auto it = addresses_.find(service);
  return it == addresses_.end() ? Addresses{} : it->second;
}

std::string Suite::grpc_address(const std::string& service) const {
  Addresses found = addresses(service);
  return found.contains("grpc") ? found["grpc"] : "";
}

Process* Suite::process(const std::string& name) {
  auto it = processes_.find(name);
  if (it == processes_.end() || !it->second->Running()) return nullptr;
  return it->second.get();
}

absl::StatusOr<int> Suite::StopService(const std::string& service, absl::Duration grace) {
  auto it = processes_.find(service);
  if (it == processes_.end()) {
    return absl::NotFoundError(absl::StrCat(service, " was never started"));
  }
  return it->second->Stop(grace);
}

absl::Status Suite::Stop() {
  absl::Status first = absl::OkStatus();
  std::vector<std::string> order(started_.rbegin(), started_.rend());
  if (processes_.contains("redis")) order.push_back("redis");
  for (const std::string& name : order) {
    auto it = processes_.find(name);
    if (it == processes_.end() || !it->second->Running()) continue;
    absl::StatusOr<int> code = it->second->Stop(options_.stop_grace);
    if (first.ok() && !code.ok()) first = code.status();
    if (first.ok() && *code != 0) {
      first = absl::InternalError(absl::StrCat(name, " exited with code ", *code));
    }
  }
  return first;
}

std::string Suite::EndpointsJson() const {
  std::string json = absl::StrCat("{\n  \"redis\": \"", redis_address_, "\",\n  \"services\": {");
  bool first_service = true;
  for (const std::string& service : started_) {
    absl::StrAppend(&json, first_service ? "\n" : ",\n", "    \"", service, "\": {");
    bool first_address = true;
    for (const auto& [kind, address] : addresses(service)) {
      absl::StrAppend(&json, first_address ? "" : ", ", "\"", kind, "\": \"", address, "\"");
      first_address = false;
    }
    json.append("}");
    first_service = false;
  }
  json.append("\n  }\n}\n");
  return json;
}

}  // namespace bitcontent::launch
