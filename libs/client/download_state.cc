#include "libs/client/download_state.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/client/transfer_workers.h"

namespace bitcontent::client {
namespace {

// Saves per download, about: often enough that a kill loses little, rarely enough that
// rewriting the state (a byte per chunk) costs nothing next to the chunks.
constexpr uint32_t kSavesPerDownload = 64;
constexpr uint32_t kSaveEveryMin = 16;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// This boot of the machine; empty where the kernel does not say (then nothing resumes).
std::string BootId() {
  return std::string(absl::StripAsciiWhitespace(ReadFile("/proc/sys/kernel/random/boot_id")));
}

}  // namespace

DownloadState DownloadState::Load(std::string path, const std::string& blob,
                                  const ChunkLayout& layout, bool partial_exists) {
  const std::string boot = BootId();
  const std::string header = absl::StrCat("bitcontent-download 1\n", boot, "\n", blob, "\n",
                                          layout.plaintext_bytes, " ", layout.chunk_bytes, "\n");
  std::vector<bool> done(layout.chunk_count(), false);
  const std::string saved = ReadFile(path);
  absl::string_view marks = saved;
  if (partial_exists && !boot.empty() && absl::ConsumePrefix(&marks, header) &&
      marks.size() == done.size()) {
    for (size_t i = 0; i < done.size(); ++i) done[i] = marks[i] == '1';
  }
  return DownloadState(std::move(path), header, layout, std::move(done));
}

DownloadState::DownloadState(std::string path, std::string header, ChunkLayout layout,
                             std::vector<bool> done)
    : path_(std::move(path)),
      header_(std::move(header)),
      layout_(layout),
      save_every_(static_cast<uint32_t>(
          std::max<uint64_t>(kSaveEveryMin, layout.chunk_count() / kSavesPerDownload))),
      done_(std::move(done)) {
  done_count_ = static_cast<uint32_t>(std::count(done_.begin(), done_.end(), true));
}

bool DownloadState::done(uint32_t index) const {
  absl::MutexLock lock(&mu_);
  return index < done_.size() && done_[index];
}

uint32_t DownloadState::done_count() const {
  absl::MutexLock lock(&mu_);
  return done_count_;
}

uint64_t DownloadState::done_bytes() const {
  absl::MutexLock lock(&mu_);
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < done_.size(); ++i) {
    if (done_[i]) bytes += layout_.plaintext_bytes_of(i);
  }
  return bytes;
}

absl::Status DownloadState::MarkDone(uint32_t index) {
  absl::MutexLock lock(&mu_);
  if (index >= done_.size() || done_[index]) return absl::OkStatus();
  done_[index] = true;
  ++done_count_;
  return done_count_ % save_every_ == 0 ? SaveLocked() : absl::OkStatus();
}

absl::Status DownloadState::Save() {
  absl::MutexLock lock(&mu_);
  return SaveLocked();
}

absl::Status DownloadState::SaveLocked() {
  std::string text = header_;
  text.reserve(header_.size() + done_.size());
  for (const bool done : done_) text.push_back(done ? '1' : '0');
  const std::string temporary = path_ + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return Errno("write", temporary);
  }
  if (std::rename(temporary.c_str(), path_.c_str()) != 0) return Errno("rename into", path_);
  return absl::OkStatus();
}

void DownloadState::Remove() {
  absl::MutexLock lock(&mu_);
  unlink(path_.c_str());
  unlink((path_ + ".tmp").c_str());  // Left by a run killed while saving.
}

}  // namespace bitcontent::client
