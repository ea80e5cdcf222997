#include "clients/cli/password_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "absl/strings/str_cat.h"

namespace bitcontent::cli {
namespace {

absl::StatusOr<std::string> ReadLine(absl::string_view prompt, bool terminal) {
  termios saved{};
  if (terminal) {
    std::fprintf(stderr, "%.*s", static_cast<int>(prompt.size()), prompt.data());
    std::fflush(stderr);
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool read = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fprintf(stderr, "\n");
  }
  if (!read) return absl::InvalidArgumentError("no password given (end of input)");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return absl::InvalidArgumentError("the password must not be empty");
  if (line.size() > kPasswordLengthMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("the password is longer than ", kPasswordLengthMax, " characters"));
  }
  return line;
}

}  // namespace

absl::StatusOr<std::string> ReadPassword(absl::string_view prompt, bool confirm) {
  const bool terminal = isatty(STDIN_FILENO) == 1;
  absl::StatusOr<std::string> password = ReadLine(prompt, terminal);
  if (!password.ok() || !confirm || !terminal) return password;
  absl::StatusOr<std::string> again = ReadLine("Repeat it: ", terminal);
  if (!again.ok()) return again.status();
  if (*again != *password) return absl::InvalidArgumentError("the two passwords differ");
  return password;
}

}  // namespace bitcontent::cli
