#include "bench/postgres_cluster.h"

#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "libs/launch/free_port.h"
#include "libs/launch/process.h"

namespace bitcontent::bench {
namespace {

namespace fs = std::filesystem;

constexpr char kBinDir[] = "/usr/lib/postgresql/15/bin";
constexpr char kSystemUser[] = "postgres";
// Generous: initdb and a start or stop each take a few seconds on a quiet machine.
constexpr absl::Duration kCommandTimeout = absl::Seconds(120);
// Another process can take the free port before the server binds it; then try another.
constexpr int kStartAttemptsMax = 3;
constexpr size_t kLogTailBytesMax = 2'000;

std::string Tail(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() <= kLogTailBytesMax ? all : all.substr(all.size() - kLogTailBytesMax);
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresCluster>> PostgresCluster::Start(
    const fs::path& dir, const std::vector<std::string>& settings) {
  // Owned from here on, so that every failure below stops and removes what was made.
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster(dir));
  if (absl::Status status = cluster->Create(); !status.ok()) return status;
  if (absl::Status status = cluster->StartServer(settings); !status.ok()) return status;
  return cluster;
}

PostgresCluster::~PostgresCluster() {
  if (running_) {
    const std::string data = (dir_ / "data").string();
    if (!Run("stop", "pg_ctl", {"-D", data, "-m", "fast", "-w", "stop"}).ok()) {
      (void)Run("stop-immediate", "pg_ctl", {"-D", data, "-m", "immediate", "-w", "stop"});
    }
  }
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string PostgresCluster::conninfo() const {
  return absl::StrCat("host=127.0.0.1 port=", port_, " user=postgres dbname=postgres");
}

absl::Status PostgresCluster::Create() {
  std::error_code error;
  if (!fs::create_directories(dir_, error)) {
    return absl::InternalError(
        absl::StrCat("cannot create ", dir_.string(), ": ", error ? error.message() : "it exists"));
  }
  if (geteuid() == 0) {
    const struct passwd* user = getpwnam(kSystemUser);
    if (user == nullptr) return absl::NotFoundError("no postgres user: install postgresql-15");
    uid_ = user->pw_uid;
    gid_ = user->pw_gid;
    if (chown(dir_.c_str(), uid_, gid_) != 0) {
      return absl::InternalError(absl::StrCat("cannot chown ", dir_.string()));
    }
  }
  fs::permissions(dir_, fs::perms::owner_all, error);
  // No fsync of initdb's own files: the cluster lives for one run. The server itself
  // runs with fsync on.
  return Run("initdb", "initdb",
             {"-D", (dir_ / "data").string(), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
              "--no-locale", "--no-sync"});
}

absl::Status PostgresCluster::StartServer(const std::vector<std::string>& settings) {
  absl::Status status;
  for (int attempt = 0; attempt < kStartAttemptsMax; ++attempt) {
    port_ = launch::FreeLoopbackPort();
    if (port_ == 0) return absl::UnavailableError("no free loopback port");
    std::vector<std::string> options = {"-k",        dir_.string(), "-h",
                                        "127.0.0.1", "-p",          absl::StrCat(port_)};
    for (const std::string& setting : settings) {
      options.push_back("-c");
      options.push_back(setting);
    }
    status = Run("start", "pg_ctl",
                 {"-D", (dir_ / "data").string(), "-l", (dir_ / "server.log").string(), "-w", "-t",
                  "60", "-o", absl::StrJoin(options, " "), "start"});
    if (status.ok()) {
      running_ = true;
      return status;
    }
    status = absl::UnavailableError(
        absl::StrCat(status.message(), "\nserver.log:\n", Tail(dir_ / "server.log")));
  }
  return status;
}

absl::Status PostgresCluster::Run(const std::string& name, const std::string& binary,
                                  const std::vector<std::string>& args) {
  const std::string path = absl::StrCat(kBinDir, "/", binary);
  launch::ProcessSpec spec = {.name = name, .log_path = (dir_ / (name + ".log")).string()};
  if (geteuid() == 0) {
    spec.binary = "runuser";
    spec.args = {"-u", kSystemUser, "--", path};
    spec.args.insert(spec.args.end(), args.begin(), args.end());
  } else {
    spec.binary = path;
    spec.args = args;
  }
  absl::StatusOr<std::unique_ptr<launch::Process>> process = launch::Process::Start(spec);
  if (!process.ok()) return process.status();
  absl::StatusOr<int> exit_code = (*process)->Wait(kCommandTimeout);
  if (!exit_code.ok()) return exit_code.status();
  if (*exit_code != 0) {
    return absl::InternalError(
        absl::StrCat(binary, " ", name, " exited with ", *exit_code, ":\n", Tail(spec.log_path)));
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::bench
