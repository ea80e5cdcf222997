// A death-test check for Catch2, which has none: runs code that must abort in a forked
// child and checks that it did, with a message naming the broken rule on stderr. Used
// for the programming errors of libs/crypto and libs/auth (keys of the wrong size,
// unlabelled token purposes), which abort instead of returning an error.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <functional>
#include <string>

namespace bitcontent::crypto::testing {

// Runs `action` in a child process and checks that it ended by SIGABRT having written
// `fragment` to stderr. The child drops Catch2's signal handlers and its stdout, so a
// correct abort does not print a failure report.
inline void RequireAbortMentioning(const std::function<void()>& action,
                                   const std::string& fragment) {
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(pipe_fds[0]);
    dup2(pipe_fds[1], STDERR_FILENO);
    const int null_fd = open("/dev/null", O_WRONLY);
    dup2(null_fd, STDOUT_FILENO);
    std::signal(SIGABRT, SIG_DFL);
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    action();
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string stderr_text;
  char buffer[512];
  ssize_t count = 0;
  while ((count = read(pipe_fds[0], buffer, sizeof(buffer))) > 0) {
    stderr_text.append(buffer, static_cast<size_t>(count));
  }
  close(pipe_fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  INFO("child stderr: " << stderr_text);
  CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT));
  CHECK(stderr_text.find(fragment) != std::string::npos);
}

}  // namespace bitcontent::crypto::testing
