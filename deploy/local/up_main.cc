// bitcontent-up: what `./dev up` runs. Starts redis and all seven services on loopback
// with their state under --var_dir, writes var/run/endpoints.json, prints the
// addresses, and runs until Ctrl-C or SIGTERM; then stops every process it started.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/launch/suite.h"

ABSL_FLAG(std::string, var_dir, "var", "Where state, logs and address files live.");
ABSL_FLAG(int, port_base, 7700,
          "First port of the fixed port plan (docs/operations.md); 0 lets the OS pick.");
ABSL_FLAG(uint64_t, welcome_credit_msat, 100'000'000,
          "What every new member's wallet starts with on this dev suite, in millisatoshi "
          "(100,000 sat), so that paying and buying can be tried without a Bitcoin node; "
          "0 for none. Production wallets default to none (--welcome_credit_msat of the "
          "wallet service).");

// BIP84's published test account (mnemonic "abandon" eleven times then "about", account
// 0), as the tpub a regtest wallet takes. Anyone can derive its private keys: it lets
// `bitcontent wallet address` work on this regtest dev suite, and must never receive
// real coins. An operator's own key goes to the wallet service's --deposit_account_xpub.
ABSL_FLAG(
    std::string, deposit_account_xpub,
    "tpubDCxX2sYFS5bDkSe5GKKYHjBW7tgyN1R3UchpLJvdbf54ohxeGRtd8MbDUe1cguVHe4vnK68DsuD5MXjxi9EXx16r"
    "b9EnNsaF5KT99CinaJz",
    "Account key deposit addresses of this dev suite (regtest) derive from; the default "
    "is BIP84's public test account, whose private keys anyone knows. Empty for none.");

namespace fs = std::filesystem;
using bitcontent::launch::Suite;

namespace {

// One `./dev up` per var directory: a second one would fight over ports and RocksDB
// locks. The lock is released by the kernel when this process ends, however it ends.
bool TakeLock(const fs::path& lock_path) {
  const int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
    const std::string pid = absl::StrCat(getpid(), "\n");
    (void)!ftruncate(fd, 0);
    (void)!write(fd, pid.data(), pid.size());
    return true;  // fd stays open for the life of the process.
  }
  std::ifstream holder(lock_path);
  std::string pid;
  holder >> pid;
  std::fprintf(stderr,
               "./dev up is already running for %s (pid %s). Use that one, or stop it with "
               "Ctrl-C in its terminal or `kill -TERM %s`.\n",
               lock_path.parent_path().parent_path().c_str(), pid.c_str(), pid.c_str());
  return false;
}

void PrintTable(const Suite& suite) {
  std::printf("\n  %-10s %-12s %s\n", "SERVICE", "KIND", "ADDRESS");
  for (const std::string& service : bitcontent::launch::AllServices()) {
    for (const auto& [kind, address] : suite.addresses(service)) {
      std::printf("  %-10s %-12s %s\n", service.c_str(), kind.c_str(), address.c_str());
    }
  }
  std::printf("  %-10s %-12s %s\n", "redis", "redis", suite.redis_address().c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  absl::SetProgramUsageMessage("Starts the whole BitContent suite on loopback (./dev up).");
  absl::ParseCommandLine(argc, argv);

  const fs::path var_dir = fs::absolute(absl::GetFlag(FLAGS_var_dir));
  fs::create_directories(var_dir / "run");
  if (!TakeLock(var_dir / "run" / "up.lock")) return 1;
  const fs::path binary_dir =
      fs::canonical("/proc/self/exe").parent_path().parent_path().parent_path();

  std::printf("starting redis and %zu services (logs in %s)...\n",
              bitcontent::launch::AllServices().size(), (var_dir / "log").c_str());
  std::fflush(stdout);
  absl::StatusOr<std::unique_ptr<Suite>> suite = Suite::Start(
      {.binary_dir = binary_dir,
       .var_dir = var_dir,
       .port_base = absl::GetFlag(FLAGS_port_base),
       .extra_args = {
           {"wallet",
            {absl::StrCat("--welcome_credit_msat=", absl::GetFlag(FLAGS_welcome_credit_msat)),
             absl::StrCat("--deposit_account_xpub=",
                          absl::GetFlag(FLAGS_deposit_account_xpub))}}}});
  if (!suite.ok()) {
    std::fprintf(stderr, "could not start the suite: %s\n",
                 std::string(suite.status().message()).c_str());
    return 1;
  }
  const fs::path endpoints = var_dir / "run" / "endpoints.json";
  {
    // Written aside and renamed into place: whoever waits for the file to appear (a
    // script, the tests) must never read it half written.
    const fs::path partial = endpoints.string() + ".partial";
    std::ofstream(partial) << (*suite)->EndpointsJson();
    std::error_code error;
    fs::rename(partial, endpoints, error);
    if (error) {
      std::fprintf(stderr, "could not write %s: %s\n", endpoints.c_str(), error.message().c_str());
      (void)(*suite)->Stop();
      return 1;
    }
  }
  PrintTable(**suite);
  std::printf("\nendpoints: %s\nthe suite is up; press Ctrl-C to stop it.\n", endpoints.c_str());
  std::fflush(stdout);

  // Wait for a signal, checking every second that nothing died behind our back.
  int exit_code = 0;
  const timespec second{1, 0};
  while (sigtimedwait(&signals, nullptr, &second) < 0) {
    std::vector<std::string> watched = bitcontent::launch::AllServices();
    watched.push_back("redis");
    for (const std::string& name : watched) {
      if ((*suite)->process(name) == nullptr) {
        std::fprintf(stderr, "%s stopped unexpectedly; see %s. Stopping the suite.\n", name.c_str(),
                     (var_dir / "log" / (name + ".log")).c_str());
        exit_code = 1;
      }
    }
    if (exit_code != 0) break;
  }
  std::printf("\nstopping...\n");
  std::fflush(stdout);
  absl::Status stopped = (*suite)->Stop();
  fs::remove(endpoints);
  if (!stopped.ok()) {
    std::fprintf(stderr, "%s\n", std::string(stopped.message()).c_str());
    return 1;
  }
  std::printf("stopped; no process left running.\n");
  return exit_code;
}
