// ProgressBar: on a terminal the line is taken away before the result is printed, so the
// result starts a clean line and no blank line follows it; a transfer that fails leaves
// its last line ended, for the error to have one of its own; off a terminal nothing is
// drawn at all.
#include "clients/cli/progress_bar.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "absl/strings/match.h"

namespace bitcontent::cli {
namespace {

// Everything written to `file` so far.
std::string Contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), file)) > 0;) text.append(buffer, n);
  return text;
}

TEST_CASE("the progress line is cleared before the result, which then ends the output",
          "[cli][progress]") {
  std::FILE* terminal = std::tmpfile();
  REQUIRE(terminal != nullptr);
  {
    ProgressBar bar("f4m", terminal, /*enabled=*/true);
    bar.Update({.done_bytes = 0, .total_bytes = 4 << 20});
    bar.Update({.done_bytes = 4 << 20, .total_bytes = 4 << 20});
    bar.Clear();
    std::fputs("uploaded files/f4m to /Docs/tty4\n", terminal);
  }
  const std::string text = Contents(terminal);
  std::fclose(terminal);
  INFO(text);
  CHECK(absl::StrContains(text, "ETA 0:00\033[K\r\033[Kuploaded files/f4m"));
  CHECK(absl::EndsWith(text, "to /Docs/tty4\n"));  // No blank line after it.
}

TEST_CASE("a bar still drawn when the transfer fails ends its line for the error",
          "[cli][progress]") {
  std::FILE* terminal = std::tmpfile();
  REQUIRE(terminal != nullptr);
  {
    ProgressBar bar("f4m", terminal, /*enabled=*/true);
    bar.Update({.done_bytes = 1 << 20, .total_bytes = 4 << 20});
  }
  const std::string text = Contents(terminal);
  std::fclose(terminal);
  CHECK(absl::StartsWith(text, "\rf4m"));
  CHECK(absl::EndsWith(text, "\033[K\n"));
}

TEST_CASE("off a terminal the bar draws nothing, and clearing it writes nothing",
          "[cli][progress]") {
  std::FILE* log = std::tmpfile();
  REQUIRE(log != nullptr);
  {
    ProgressBar bar("f4m", log, /*enabled=*/false);
    bar.Update({.done_bytes = 4 << 20, .total_bytes = 4 << 20});
    bar.Clear();
  }
  CHECK(Contents(log).empty());
  std::fclose(log);
}

}  // namespace
}  // namespace bitcontent::cli
