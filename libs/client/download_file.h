// DownloadFile: the file a download writes, chunk by chunk at their offsets, from any
// number of threads, made durable at the end.
//
// Writes go straight to the disk (O_DIRECT) where the file system takes them, not
// through the page cache: a download of a big file then neither pushes out of memory
// what the machine was using nor pays the kernel's cost of caching every page
// (libs/direct_io). Each chunk is copied into an aligned buffer and padded to a whole
// block; Finish() cuts the padding off. Where O_DIRECT is refused (tmpfs, some network
// file systems) or the chunk size is not a multiple of direct_io::kAlignmentBytes,
// writes go through the page cache as usual.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "libs/direct_io/direct_io.h"

namespace bitcontent::client {

class DownloadFile {
 public:
  // Creates (or empties) `path`, for chunks of at most `chunk_bytes`.
  static absl::StatusOr<std::unique_ptr<DownloadFile>> Create(const std::string& path,
                                                              size_t chunk_bytes);
  ~DownloadFile();
  DownloadFile(const DownloadFile&) = delete;
  DownloadFile& operator=(const DownloadFile&) = delete;

  // Writes `bytes` (at most chunk_bytes) at `offset`. Thread-safe; one write at a time,
  // since threads writing one file together only contend for its inode lock.
  absl::Status Write(absl::string_view bytes, uint64_t offset);

  // Sets the file's size to `size_bytes` (dropping any padding) and makes it durable.
  absl::Status Finish(uint64_t size_bytes);

  // Whether writes go straight to the disk.
  bool direct() const;

 private:
  DownloadFile(std::string path, int fd, int direct_fd, size_t chunk_bytes);

  const std::string path_;
  const int fd_;
  const size_t chunk_bytes_;
  mutable absl::Mutex mu_;
  int direct_fd_ ABSL_GUARDED_BY(mu_);  // -1 when writes go through the page cache.
  // chunk_bytes rounded up; empty without direct_fd_.
  direct_io::AlignedBuffer aligned_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bitcontent::client
