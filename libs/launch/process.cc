#include "libs/launch/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace bitcontent::launch {
namespace {

// Runs in the child between fork and exec: only async-signal-safe calls here.
[[noreturn]] void ExecChild(const std::vector<char*>& argv, const std::vector<char*>& envp,
                            int log_fd, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // The parent died before prctl took effect.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // Launchers block signals; children must not.
  setpgid(0, 0);  // Ctrl-C at the terminal reaches the launcher, which stops us in order.
  int null_fd = open("/dev/null", O_RDONLY);
  dup2(null_fd, STDIN_FILENO);
  dup2(log_fd, STDOUT_FILENO);
  dup2(log_fd, STDERR_FILENO);
  execvpe(argv[0], argv.data(), envp.data());
  const char message[] = "exec failed\n";
  (void)!write(STDERR_FILENO, message, sizeof(message) - 1);
  _exit(127);
}

int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Process>> Process::Start(const ProcessSpec& spec) {
  int log_fd = open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot open log file ", spec.log_path, ": ", std::strerror(errno)));
  }
  // Everything the child needs is built before fork: allocating after fork in a
  // multi-threaded parent can deadlock.
  std::vector<std::string> arguments = {spec.binary};
  arguments.insert(arguments.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  argv.reserve(arguments.size() + 1);
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    const size_t equals = text.find('=');
    if (equals != std::string_view::npos) {
      variables[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
  }
  for (const auto& [key, value] : spec.env) variables[key] = value;
  std::vector<std::string> environment;
  environment.reserve(variables.size());
  for (const auto& [key, value] : variables) environment.push_back(absl::StrCat(key, "=", value));
  std::vector<char*> envp;
  envp.reserve(environment.size() + 1);
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    return absl::ResourceExhaustedError(absl::StrCat("fork: ", std::strerror(errno)));
  }
  if (pid == 0) ExecChild(argv, envp, log_fd, parent);
  close(log_fd);
  return std::unique_ptr<Process>(new Process(spec, pid));
}

Process::~Process() { (void)Stop(absl::Seconds(10)); }

bool Process::Running() {
  if (exited_) return false;
  int status = 0;
  const pid_t result = waitpid(pid_, &status, WNOHANG);
  if (result == pid_) {
    exited_ = true;
    exit_code_ = DecodeWaitStatus(status);
  } else if (result < 0 && errno == ECHILD) {
    exited_ = true;
    exit_code_ = -1;
  }
  return !exited_;
}

void Process::Signal(int signal_number) {
  if (Running()) kill(pid_, signal_number);
}

absl::StatusOr<int> Process::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (Running()) {
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          spec_.name, " (pid ", pid_, ") still runs after ", absl::FormatDuration(timeout)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

absl::StatusOr<int> Process::Stop(absl::Duration grace) {
  if (!Running()) return exit_code_;
  kill(pid_, SIGTERM);
  absl::StatusOr<int> code = Wait(grace);
  if (code.ok()) return code;
  kill(pid_, SIGKILL);
  return Wait(absl::Seconds(10));
}

}  // namespace bitcontent::launch
