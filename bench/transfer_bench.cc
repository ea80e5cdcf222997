// How fast a member moves a big file, end to end, next to rclone's crypt remote doing
// the same work on the same machine: writes a 1 GiB file of random bytes, starts Redis,
// accounts, metadata, blobs (filesystem provider) and the gateway (launch::Suite), signs
// up a member with the client engine, and times the real CLI: `bitcontent put` (seal,
// hash, send chunks through the gateway to blobs, which verifies and stores each one
// durably) and `bitcontent get` (fetch, open, verify, write), each followed by `rclone
// copy` of the same file to or from a crypt remote over a local directory (Debian's
// rclone; its default chunked NaCl secretbox encryption, no fsync), in kRounds rounds.
//
// Prints the medians over the rounds: upload_MBps, download_MBps,
// rclone_crypt_upload_MBps, rclone_crypt_download_MBps, the two ratios; each round's
// figures on a comment line; the CPU time per GiB each way, ours (the CLI and the
// services) and rclone's, with our split on a comment line; and the peak resident
// memory (MiB) of the CLI in each direction and of each service. MB is 10^6 bytes. An optional
// second argument changes the size in MiB (for quick runs); later ones go to put and get (for
// experiments: --parallel=8).
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "libs/crypto/random.h"
#include "libs/launch/suite.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace bitcontent;

// Rounds of each measurement; the figures are their medians.
constexpr int kRounds = 3;

struct Measured {
  double seconds = 0;
  double peak_rss_mib = 0;
  double cpu_seconds = 0;  // User and system time.
};

// Runs `args` (argv[0] a path or a name on PATH) with its output in `log`, and measures
// its wall time, CPU time and peak resident memory. Each run starts on a quiet disk: what earlier
// runs left in the page cache is written out first, outside the timing. rclone does not
// flush its writes, so without this the kernel writes rclone's upload back while our
// download runs, and the next measurement pays for the one before.
absl::StatusOr<Measured> RunMeasured(const std::vector<std::string>& args, const fs::path& log) {
  ::sync();
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const absl::Time start = absl::Now();
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return absl::UnavailableError(absl::StrCat("cannot run ", args[0], ": ", strerror(spawned)));
  }
  int status = 0;
  struct rusage usage = {};
  if (wait4(pid, &status, 0, &usage) != pid) return absl::InternalError("wait4 failed");
  Measured measured;
  measured.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  measured.peak_rss_mib = usage.ru_maxrss / 1024.0;  // ru_maxrss is in KiB on Linux.
  measured.cpu_seconds = absl::ToDoubleSeconds(absl::DurationFromTimeval(usage.ru_utime) +
                                               absl::DurationFromTimeval(usage.ru_stime));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream output(log);
    std::stringstream text;
    text << output.rdbuf();
    return absl::InternalError(absl::StrCat(args[0], " failed: ", text.str()));
  }
  return measured;
}

// The peak resident memory of a running process, from /proc (VmHWM).
double PeakRssMib(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  for (std::string line; std::getline(status, line);) {
    absl::string_view rest = line;
    int64_t kib = 0;
    if (absl::ConsumePrefix(&rest, "VmHWM:") &&
        absl::SimpleAtoi(absl::StripSuffix(absl::StripAsciiWhitespace(rest), " kB"), &kib)) {
      return kib / 1024.0;
    }
  }
  return 0;
}

// The CPU time the client and each service (in the order of the bench's list) spent
// while moving the file.
struct CpuSpent {
  double client = 0;
  std::vector<double> services;
  double total() const {
    double sum = client;
    for (double seconds : services) sum += seconds;
    return sum;
  }
};

bool SameFiles(const fs::path& a, const fs::path& b) {
  if (fs::file_size(a) != fs::file_size(b)) return false;
  std::ifstream left(a, std::ios::binary);
  std::ifstream right(b, std::ios::binary);
  std::string x(1 << 20, '\0');
  std::string y(1 << 20, '\0');
  while (left && right) {
    left.read(x.data(), x.size());
    right.read(y.data(), y.size());
    if (left.gcount() != right.gcount() || x.compare(0, left.gcount(), y, 0, right.gcount()) != 0) {
      return false;
    }
  }
  return true;
}

int Fail(absl::string_view what, const absl::Status& status) {
  return bench::Fail("transfer_bench", what, status);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path build =
      fs::absolute(argc > 1 ? fs::path(argv[1]) : fs::path(BITCONTENT_BINARY_DIR));
  int64_t mib = 1024;
  if (argc > 2 && !absl::SimpleAtoi(argv[2], &mib)) {
    return Fail("bad size", absl::InvalidArgumentError(argv[2]));
  }
  const fs::path var = build / "bench-runs" / absl::StrCat("transfer-", getpid());
  fs::create_directories(var);
  const fs::path file = var / "big.bin";
  {
    std::ofstream out(file, std::ios::binary);
    for (int64_t i = 0; i < mib; ++i) out << crypto::RandomBytes(1 << 20);
  }
  const double megabytes = static_cast<double>(mib) * (1 << 20) / 1e6;

  absl::StatusOr<std::unique_ptr<launch::Suite>> suite =
      bench::StartSuite(build, var / "suite", {"accounts", "metadata", "blobs", "gateway"});
  if (!suite.ok()) return Fail("cannot start the suite", suite.status());
  const std::string rest = (*suite)->addresses("gateway").at("public_rest");
  const std::string server = "http://" + rest;
  const fs::path config_dir = var / "client";
  if (absl::StatusOr<bench::Member> made = bench::SignUp(rest, config_dir, "bench@example.com");
      !made.ok()) {
    return Fail("cannot sign up", made.status());
  }
  const std::string cli = (build / "clients/cli/bitcontent").string();
  const std::vector<std::string> common = {cli, "--server=" + server,
                                           "--config-dir=" + config_dir.string()};
  std::vector<std::string> experiment;
  for (int i = 3; i < argc; ++i) experiment.emplace_back(argv[i]);
  std::vector<std::string> put = common;
  put.insert(put.end(), {"put", file.string(), "/"});
  put.insert(put.end(), experiment.begin(), experiment.end());
  std::vector<std::string> get = common;
  get.insert(get.end(), {"get", "/big.bin", (var / "back.bin").string()});
  get.insert(get.end(), experiment.begin(), experiment.end());

  // rclone crypt over a local directory, configured in a file of its own.
  const fs::path rclone_conf = var / "rclone.conf";
  {
    absl::StatusOr<Measured> obscured =
        RunMeasured({"rclone", "obscure", "bench crypt password"}, var / "obscure.log");
    if (!obscured.ok()) return Fail("rclone obscure", obscured.status());
    std::ifstream read(var / "obscure.log");
    std::string password;
    std::getline(read, password);
    std::ofstream conf(rclone_conf);
    conf << "[secret]\ntype = crypt\nremote = " << (var / "rclone-store").string()
         << "\npassword = " << password << "\n";
  }
  const std::vector<std::string> rclone = {"rclone", "--config", rclone_conf.string()};
  std::vector<std::string> rclone_up = rclone;
  // --ignore-times: copy again in every round, not only when the file changed.
  rclone_up.insert(rclone_up.end(), {"copy", "--ignore-times", file.string(), "secret:"});
  std::vector<std::string> rclone_down = rclone;
  rclone_down.insert(rclone_down.end(), {"copy", "secret:big.bin", (var / "rclone-back").string()});

  // Rounds that alternate ours and rclone's, each way, and medians: a single run of
  // rclone's download swung from 252 to 837 MB/s on one day on this machine, ours far
  // less, so one pair of runs said more about the moment than about either program. Every
  // round after the first uploads a new version of the file, all of its chunks new.
  std::vector<double> up_s, down_s, rclone_up_s, rclone_down_s;
  double cli_put_rss = 0, cli_get_rss = 0;
  const std::vector<std::string> services = {"accounts", "metadata", "blobs", "gateway"};
  // Runs one of ours, adding its CPU time and the services' to `spent`.
  auto run_ours = [&](const std::vector<std::string>& args, const fs::path& log,
                      CpuSpent& spent) -> absl::StatusOr<Measured> {
    std::vector<double> before;
    for (const std::string& name : services) {
      before.push_back(bench::CpuSeconds((*suite)->process(name)->pid()));
    }
    absl::StatusOr<Measured> measured = RunMeasured(args, log);
    if (!measured.ok()) return measured;
    spent.client += measured->cpu_seconds;
    spent.services.resize(services.size());
    for (size_t i = 0; i < services.size(); ++i) {
      spent.services[i] += bench::CpuSeconds((*suite)->process(services[i])->pid()) - before[i];
    }
    return measured;
  };
  CpuSpent up_cpu, down_cpu;
  double rclone_up_cpu = 0, rclone_down_cpu = 0;
  for (int round = 0; round < kRounds; ++round) {
    // A put of a file unchanged since it went up sends nothing (its size and modification
    // time match): each round's file is a changed one, as rclone's --ignore-times copies.
    fs::last_write_time(file, fs::file_time_type::clock::now());
    absl::StatusOr<Measured> up = run_ours(put, var / "put.log", up_cpu);
    if (!up.ok()) return Fail("bitcontent put", up.status());
    absl::StatusOr<Measured> crypt_up = RunMeasured(rclone_up, var / "rclone-up.log");
    if (!crypt_up.ok()) return Fail("rclone copy up", crypt_up.status());
    rclone_up_cpu += crypt_up->cpu_seconds;
    absl::StatusOr<Measured> down = run_ours(get, var / "get.log", down_cpu);
    if (!down.ok()) return Fail("bitcontent get", down.status());
    if (!SameFiles(file, var / "back.bin")) {
      return Fail("bitcontent get", absl::DataLossError("the file came back different"));
    }
    fs::remove(var / "back.bin");
    absl::StatusOr<Measured> crypt_down = RunMeasured(rclone_down, var / "rclone-down.log");
    if (!crypt_down.ok()) return Fail("rclone copy down", crypt_down.status());
    rclone_down_cpu += crypt_down->cpu_seconds;
    fs::remove_all(var / "rclone-back");
    up_s.push_back(up->seconds);
    down_s.push_back(down->seconds);
    rclone_up_s.push_back(crypt_up->seconds);
    rclone_down_s.push_back(crypt_down->seconds);
    cli_put_rss = std::max(cli_put_rss, up->peak_rss_mib);
    cli_get_rss = std::max(cli_get_rss, down->peak_rss_mib);
  }
  std::vector<std::pair<std::string, double>> service_rss;
  for (const std::string& service : services) {
    service_rss.emplace_back(service, PeakRssMib((*suite)->process(service)->pid()));
  }
  (void)(*suite)->Stop();

  const double upload = megabytes / bench::Median(up_s);
  const double download = megabytes / bench::Median(down_s);
  const double rclone_upload = megabytes / bench::Median(rclone_up_s);
  const double rclone_download = megabytes / bench::Median(rclone_down_s);
  std::printf("upload_MBps %.1f MB/s\n", upload);
  std::printf("download_MBps %.1f MB/s\n", download);
  std::printf("rclone_crypt_upload_MBps %.1f MB/s\n", rclone_upload);
  std::printf("rclone_crypt_download_MBps %.1f MB/s\n", rclone_download);
  std::printf("upload_to_rclone_ratio %.2f\n", upload / rclone_upload);
  std::printf("download_to_rclone_ratio %.2f\n", download / rclone_download);
  std::printf("# rounds (MB/s, ours / rclone):");
  for (int round = 0; round < kRounds; ++round) {
    std::printf(" up %.0f/%.0f down %.0f/%.0f%s", megabytes / up_s[round],
                megabytes / rclone_up_s[round], megabytes / down_s[round],
                megabytes / rclone_down_s[round], round + 1 < kRounds ? ";" : "\n");
  }
  // CPU per GiB moved, all rounds together: with two cores, what bounds the rates.
  const double gibibytes = kRounds * static_cast<double>(mib) / 1024.0;
  const auto print_cpu = [&](const char* way, const CpuSpent& ours, double rclone_seconds) {
    std::printf("%s_cpu_s_per_GiB %.2f core-s\n", way, ours.total() / gibibytes);
    std::printf("rclone_crypt_%s_cpu_s_per_GiB %.2f core-s\n", way, rclone_seconds / gibibytes);
    std::printf("# %s core-s per GiB: cli %.2f", way, ours.client / gibibytes);
    for (size_t i = 0; i < ours.services.size(); ++i) {
      std::printf(", %s %.2f", services[i].c_str(), ours.services[i] / gibibytes);
    }
    std::printf("\n");
  };
  print_cpu("upload", up_cpu, rclone_up_cpu);
  print_cpu("download", down_cpu, rclone_down_cpu);
  std::printf("peak_rss_cli_put_MiB %.1f MiB\n", cli_put_rss);
  std::printf("peak_rss_cli_get_MiB %.1f MiB\n", cli_get_rss);
  for (const auto& [service, rss] : service_rss) {
    std::printf("peak_rss_%s_MiB %.1f MiB\n", service.c_str(), rss);
  }
  std::error_code ignored;
  fs::remove_all(var, ignored);
  return 0;
}
