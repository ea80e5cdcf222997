// The progress line of `bitcontent put` and `get`: bytes done of the total, the rate
// and the time left, redrawn in place at most ten times a second, on standard error and
// only when it is a terminal (scripts and logs get no control characters).
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "libs/client/file_transfer.h"

namespace bitcontent::cli {

class ProgressBar {
 public:
  // `label` names the transfer ("report.pdf"). Draws nothing unless stderr is a terminal.
  explicit ProgressBar(std::string label);
  ~ProgressBar();

  void Update(const client::TransferProgress& progress);

 private:
  const std::string label_;
  const bool enabled_;
  const absl::Time start_;
  absl::Time last_draw_ = absl::InfinitePast();
  bool drawn_ = false;
};

// "1.5 MiB", "812 B": sizes for people.
std::string HumanBytes(uint64_t bytes);

}  // namespace bitcontent::cli
