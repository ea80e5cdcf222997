// A small death-test helper for Catch2, which has none: runs code that should abort in a
// forked child and reports how the child ended and what it wrote on stderr.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <functional>
#include <string>

namespace bitcontent::metrics::testing {

struct ChildOutcome {
  bool aborted = false;  // Ended by SIGABRT.
  std::string stderr_text;
};

// Runs `action` in a child process without core dumps. A child that returns from
// `action` exits with status 0, so `aborted` tells the two apart.
inline ChildOutcome RunInChild(const std::function<void()>& action) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    return {};
  }
  const pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    dup2(pipe_fds[1], STDERR_FILENO);
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    action();
    _exit(0);
  }
  close(pipe_fds[1]);
  ChildOutcome outcome;
  char buffer[512];
  ssize_t count = 0;
  while ((count = read(pipe_fds[0], buffer, sizeof(buffer))) > 0) {
    outcome.stderr_text.append(buffer, static_cast<std::size_t>(count));
  }
  close(pipe_fds[0]);
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) {
    return outcome;
  }
  outcome.aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
  return outcome;
}

}  // namespace bitcontent::metrics::testing
