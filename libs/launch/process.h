// A child process started by a launcher (./dev up, the integration harness): its output
// goes to a log file, it dies with its parent (PR_SET_PDEATHSIG), and Stop() ends it
// politely (SIGTERM, then SIGKILL after a grace period), so nothing is left behind even
// when a test fails or the launcher is killed.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace bitcontent::launch {

struct ProcessSpec {
  std::string name = {};                        // for messages: "wallet", "redis"
  std::string binary = {};                      // absolute path, or a name found in PATH
  std::vector<std::string> args = {};           // without argv[0]
  std::map<std::string, std::string> env = {};  // added to the launcher's environment
  std::string log_path = {};                    // stdout and stderr are appended here
};

class Process {
 public:
  // Forks and executes `spec`. Fails when the binary cannot be executed.
  static absl::StatusOr<std::unique_ptr<Process>> Start(const ProcessSpec& spec);

  // Stops the process with a 10 s grace period if it still runs.
  ~Process();

  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  const std::string& name() const { return spec_.name; }
  const ProcessSpec& spec() const { return spec_; }
  pid_t pid() const { return pid_; }

  // True until the process has exited (reaps it when it has).
  bool Running();

  // Sends `signal_number` if the process still runs.
  void Signal(int signal_number);

  // Waits for the exit for at most `timeout`. Returns the exit code, 128 + signal for a
  // process killed by a signal, or DeadlineExceeded.
  absl::StatusOr<int> Wait(absl::Duration timeout);

  // SIGTERM, wait up to `grace`, then SIGKILL. Returns what Wait() returns.
  absl::StatusOr<int> Stop(absl::Duration grace);

 private:
  Process(ProcessSpec spec, pid_t pid) : spec_(std::move(spec)), pid_(pid) {}

  const ProcessSpec spec_;
  const pid_t pid_;
  bool exited_ = false;
  int exit_code_ = 0;
};

}  // namespace bitcontent::launch
