#include "clients/cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace bitcontent::cli {

std::string HumanBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  return unit == 0 ? absl::StrFormat("%d B", bytes)
                   : absl::StrFormat("%.1f %s", value, kUnits[unit]);
}

ProgressBar::ProgressBar(std::string label)
    : ProgressBar(std::move(label), stderr, isatty(STDERR_FILENO) == 1) {}

ProgressBar::ProgressBar(std::string label, std::FILE* out, bool enabled)
    : label_(std::move(label)), out_(out), enabled_(enabled), start_(absl::Now()) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fputs("\n", out_);
}

void ProgressBar::Clear() {
  // Back to the line's start and erase to its end: what is printed next starts there.
  if (!drawn_) return;
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
  drawn_ = false;
  last_draw_ = absl::InfinitePast();
}

void ProgressBar::Update(const client::TransferProgress& progress) {
  if (!enabled_) return;
  const absl::Time now = absl::Now();
  const bool finished = progress.done_bytes >= progress.total_bytes;
  if (!finished && now - last_draw_ < absl::Milliseconds(100)) return;
  last_draw_ = now;
  // The rate counts only what moved in this run, not what a resumed upload skipped.
  const double seconds = std::max(absl::ToDoubleSeconds(now - start_), 1e-3);
  const double rate = static_cast<double>(progress.done_bytes - progress.skipped_bytes) / seconds;
  const double percent =
      progress.total_bytes == 0
          ? 100.0
          : 100.0 * static_cast<double>(progress.done_bytes) / progress.total_bytes;
  std::string eta = "--:--";
  if (rate > 0) {
    const auto left = static_cast<int64_t>((progress.total_bytes - progress.done_bytes) / rate);
    eta = absl::StrFormat("%d:%02d", left / 60, left % 60);
  }
  std::fprintf(out_, "\r%s  %5.1f%%  %s / %s  %s/s  ETA %s\033[K", label_.c_str(), percent,
               HumanBytes(progress.done_bytes).c_str(), HumanBytes(progress.total_bytes).c_str(),
               HumanBytes(static_cast<uint64_t>(rate)).c_str(), eta.c_str());
  drawn_ = true;
}

}  // namespace bitcontent::cli
