#include "libs/metrics/process_collector.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

namespace bitcontent::metrics {
namespace {

constexpr std::string_view kCpuSeconds = "process_cpu_seconds_total";
constexpr std::string_view kMaxFds = "process_max_fds";
constexpr std::string_view kOpenFds = "process_open_fds";
constexpr std::string_view kResidentMemory = "process_resident_memory_bytes";
constexpr std::string_view kStartTime = "process_start_time_seconds";
constexpr std::string_view kVirtualMemory = "process_virtual_memory_bytes";

// Positions in /proc/<pid>/stat counted from the field after the command name (the
// state, field 3 in proc(5)): utime is field 14, stime 15, starttime 22, vsize 23, rss 24.
constexpr std::size_t kUserTicksIndex = 11;
constexpr std::size_t kSystemTicksIndex = 12;
constexpr std::size_t kStartTicksIndex = 19;
constexpr std::size_t kVirtualBytesIndex = 20;
constexpr std::size_t kResidentPagesIndex = 21;

// Splits on spaces and newlines, dropping empty pieces.
std::vector<std::string_view> SplitFields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    start = text.find_first_not_of(" \n", start);
    if (start == std::string_view::npos) {
      return fields;
    }
    const std::size_t end = std::min(text.find_first_of(" \n", start), text.size());
    fields.push_back(text.substr(start, end - start));
    start = end;
  }
}

// Parses the whole of `text` as a decimal integer.
template <typename Integer>
bool ParseInteger(std::string_view text, Integer& value) {
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && stop == end && !text.empty();
}

std::optional<std::string> ReadWholeFile(const char* path) {
  std::ifstream file(path);
  if (!file) {
    return std::nullopt;
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

std::optional<double> CountOpenFds() {
  std::error_code error;
  std::filesystem::directory_iterator it("/proc/self/fd", error);
  if (error) {
    return std::nullopt;
  }
  double count = 0;
  for (const std::filesystem::directory_iterator end; it != end; it.increment(error)) {
    if (error) {
      return std::nullopt;
    }
    ++count;
  }
  return count;
}

std::optional<double> MaxFds() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return std::nullopt;
  }
  if (limit.rlim_cur == RLIM_INFINITY) {
    return std::numeric_limits<double>::infinity();
  }
  return static_cast<double>(limit.rlim_cur);
}

void AddStatMetrics(std::vector<ProcessMetric>& metrics) {
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  const long page_size_bytes = sysconf(_SC_PAGESIZE);
  if (ticks_per_second <= 0 || page_size_bytes <= 0) {
    return;
  }
  const std::optional<std::string> stat_text = ReadWholeFile("/proc/self/stat");
  if (!stat_text.has_value()) {
    return;
  }
  const absl::StatusOr<ProcessStat> stat = ParseProcessStat(
      *stat_text, static_cast<double>(ticks_per_second), static_cast<double>(page_size_bytes));
  if (!stat.ok()) {
    return;
  }
  metrics.push_back({kCpuSeconds,
                     "Total user and system CPU time spent by the process, in seconds.",
                     MetricType::kCounter, stat->cpu_seconds});
  metrics.push_back({kResidentMemory, "Resident memory size of the process, in bytes.",
                     MetricType::kGauge, stat->resident_memory_bytes});
  metrics.push_back({kVirtualMemory, "Virtual memory size of the process, in bytes.",
                     MetricType::kGauge, stat->virtual_memory_bytes});
  const std::optional<std::string> system_stat_text = ReadWholeFile("/proc/stat");
  if (!system_stat_text.has_value()) {
    return;
  }
  const absl::StatusOr<double> boot_time_seconds = ParseBootTimeSeconds(*system_stat_text);
  if (!boot_time_seconds.ok()) {
    return;
  }
  metrics.push_back({kStartTime, "Start time of the process, in seconds since the Unix epoch.",
                     MetricType::kGauge, *boot_time_seconds + stat->start_seconds_after_boot});
}

}  // namespace

absl::Span<const std::string_view> ProcessMetricNames() {
  static constexpr std::string_view kNames[] = {kCpuSeconds,     kMaxFds,    kOpenFds,
                                                kResidentMemory, kStartTime, kVirtualMemory};
  return kNames;
}

std::vector<ProcessMetric> CollectProcessMetrics() {
  std::vector<ProcessMetric> metrics;
  AddStatMetrics(metrics);
  if (const std::optional<double> open = CountOpenFds()) {
    metrics.push_back({kOpenFds, "Number of open file descriptors.", MetricType::kGauge, *open});
  }
  if (const std::optional<double> max = MaxFds()) {
    metrics.push_back({kMaxFds, "Maximum number of open file descriptors (the soft limit).",
                       MetricType::kGauge, *max});
  }
  std::sort(metrics.begin(), metrics.end(),
            [](const ProcessMetric& a, const ProcessMetric& b) { return a.name < b.name; });
  return metrics;
}

absl::StatusOr<ProcessStat> ParseProcessStat(std::string_view text, double ticks_per_second,
                                             double page_size_bytes) {
  const std::size_t command_end = text.rfind(')');
  if (command_end == std::string_view::npos) {
    return absl::InvalidArgumentError("stat: no ')' closing the command name");
  }
  const std::vector<std::string_view> fields = SplitFields(text.substr(command_end + 1));
  if (fields.size() <= kResidentPagesIndex) {
    return absl::InvalidArgumentError("stat: fewer fields than proc(5) lists");
  }
  std::uint64_t user_ticks = 0;
  std::uint64_t system_ticks = 0;
  std::uint64_t start_ticks = 0;
  std::uint64_t virtual_bytes = 0;
  std::int64_t resident_pages = 0;
  if (!ParseInteger(fields[kUserTicksIndex], user_ticks) ||
      !ParseInteger(fields[kSystemTicksIndex], system_ticks) ||
      !ParseInteger(fields[kStartTicksIndex], start_ticks) ||
      !ParseInteger(fields[kVirtualBytesIndex], virtual_bytes) ||
      !ParseInteger(fields[kResidentPagesIndex], resident_pages)) {
    return absl::InvalidArgumentError("stat: a field is not a number");
  }
  ProcessStat stat;
  stat.cpu_seconds = static_cast<double>(user_ticks + system_ticks) / ticks_per_second;
  stat.virtual_memory_bytes = static_cast<double>(virtual_bytes);
  stat.resident_memory_bytes = static_cast<double>(resident_pages) * page_size_bytes;
  stat.start_seconds_after_boot = static_cast<double>(start_ticks) / ticks_per_second;
  return stat;
}

absl::StatusOr<double> ParseBootTimeSeconds(std::string_view proc_stat_text) {
  constexpr std::string_view kPrefix = "btime ";
  std::size_t line_start = 0;
  while (line_start < proc_stat_text.size()) {
    const std::size_t line_end =
        std::min(proc_stat_text.find('\n', line_start), proc_stat_text.size());
    const std::string_view line = proc_stat_text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    if (!line.starts_with(kPrefix)) {
      continue;
    }
    std::uint64_t seconds = 0;
    if (!ParseInteger(line.substr(kPrefix.size()), seconds)) {
      return absl::InvalidArgumentError("/proc/stat: btime is not a number");
    }
    return static_cast<double>(seconds);
  }
  return absl::InvalidArgumentError("/proc/stat: no btime line");
}

}  // namespace bitcontent::metrics
