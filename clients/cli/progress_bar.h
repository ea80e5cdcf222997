// The progress line of `bitcontent put` and `get`: bytes done of the total, the rate
// and the time left, redrawn in place at most ten times a second, on standard error and
// only when it is a terminal (scripts and logs get no control characters). Clear() takes
// the line away before the command prints its result, so the result starts a clean line
// and none is left blank; a bar still drawn when it is destroyed (the transfer failed)
// is ended with a newline, so the error that follows has a line of its own.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/time/time.h"
#include "libs/client/file_transfer.h"

namespace bitcontent::cli {

class ProgressBar {
 public:
  // `label` names the transfer ("report.pdf"). Draws on stderr, only when it is a terminal.
  explicit ProgressBar(std::string label);
  // Draws on `out` when `enabled` (tests; a command whose data goes to the terminal).
  ProgressBar(std::string label, std::FILE* out, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Update(const client::TransferProgress& progress);
  // Erases the line drawn, if any (the next Update draws it again): before the result,
  // or a message, is printed.
  void Clear();

 private:
  const std::string label_;
  std::FILE* const out_;
  const bool enabled_;
  const absl::Time start_;
  absl::Time last_draw_ = absl::InfinitePast();
  bool drawn_ = false;
};

// "1.5 MiB", "812 B": sizes for people.
std::string HumanBytes(uint64_t bytes);

}  // namespace bitcontent::cli
