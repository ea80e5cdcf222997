#include "bench/wrk_run.h"

#include <sys/resource.h>

#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace bitcontent::bench {
namespace {

// `arg` for the shell, in single quotes.
std::string Quoted(const std::string& arg) {
  std::string quoted = "'";
  for (const char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

// A latency of wrk's report ("812.00us", "4.51ms", "1.02s") in milliseconds.
double Milliseconds(absl::string_view text) {
  double value = 0;
  if (absl::ConsumeSuffix(&text, "us") && absl::SimpleAtod(text, &value)) return value / 1000;
  if (absl::ConsumeSuffix(&text, "ms") && absl::SimpleAtod(text, &value)) return value;
  if (absl::ConsumeSuffix(&text, "s") && absl::SimpleAtod(text, &value)) return value * 1000;
  return 0;
}

}  // namespace

absl::StatusOr<WrkResult> RunWrk(const WrkRun& run) {
  std::string command = absl::StrCat("wrk --latency -t", run.threads, " -c", run.connections, " -d",
                                     absl::ToInt64Seconds(run.duration), "s");
  for (const std::string& header : run.headers) absl::StrAppend(&command, " -H ", Quoted(header));
  if (!run.script.empty()) absl::StrAppend(&command, " -s ", Quoted(run.script));
  absl::StrAppend(&command, " ", Quoted(run.url));
  if (!run.script_args.empty()) absl::StrAppend(&command, " --");
  for (const std::string& arg : run.script_args) absl::StrAppend(&command, " ", Quoted(arg));
  absl::StrAppend(&command, " 2>&1");
  struct rusage before = {};
  getrusage(RUSAGE_CHILDREN, &before);
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return absl::UnavailableError("cannot run wrk");
  WrkResult result = {.seconds = absl::ToDoubleSeconds(run.duration)};
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0;) {
    result.output.append(buffer, n);
  }
  if (pclose(pipe) != 0) {
    return absl::UnavailableError(
        absl::StrCat("wrk failed (is Debian's wrk installed?):\n", result.output));
  }
  // The shell and wrk, both waited for by pclose.
  struct rusage after = {};
  getrusage(RUSAGE_CHILDREN, &after);
  const auto seconds = [](const timeval& time) {
    return absl::ToDoubleSeconds(absl::DurationFromTimeval(time));
  };
  result.cpu_seconds = seconds(after.ru_utime) - seconds(before.ru_utime) +
                       seconds(after.ru_stime) - seconds(before.ru_stime);
  for (absl::string_view line : absl::StrSplit(result.output, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (absl::ConsumePrefix(&line, "Requests/sec:")) {
      (void)absl::SimpleAtod(absl::StripAsciiWhitespace(line), &result.requests_per_second);
    } else if (absl::ConsumePrefix(&line, "99%")) {
      result.p99_ms = Milliseconds(absl::StripAsciiWhitespace(line));
    }
  }
  if (result.output.find("Non-2xx") != std::string::npos ||
      result.output.find("Socket errors") != std::string::npos) {
    return absl::InternalError(absl::StrCat("some requests failed:\n", result.output));
  }
  return result;
}

}  // namespace bitcontent::bench
