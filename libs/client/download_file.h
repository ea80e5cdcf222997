// DownloadFile: the file a download writes, chunk by chunk at their offsets, from any
// number of threads.
//
// Writes go straight to the disk (O_DIRECT) where the file system takes them, not
// through the page cache: a download of a big file then neither pushes out of memory
// what the machine was using nor pays the kernel's cost of caching every page
// (libs/direct_io). A chunk is written from the caller's aligned buffer, where it was
// received and opened, padded to a whole block; Finish() cuts the padding off. Where
// O_DIRECT is refused (tmpfs, some network file systems) or the chunk size is not a
// multiple of direct_io::kAlignmentBytes, writes go through the page cache as usual.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/direct_io/direct_io.h"

namespace bitcontent::client {

class DownloadFile {
 public:
  // Creates (or empties) `path`, for chunks of at most `chunk_bytes` and a file of
  // `size_bytes`; with `resume`, an existing `path` keeps what it holds (the chunks a
  // stopped download wrote). The file's blocks are reserved at once where the file
  // system can (fallocate): a full disk is RESOURCE_EXHAUSTED before any chunk is
  // fetched, and the chunks' direct writes then neither extend the file nor allocate,
  // which ext4 would otherwise do one write at a time under the file's lock.
  static absl::StatusOr<std::unique_ptr<DownloadFile>> Create(const std::string& path,
                                                              size_t chunk_bytes,
                                                              uint64_t size_bytes,
                                                              bool resume = false);
  ~DownloadFile();
  DownloadFile(const DownloadFile&) = delete;
  DownloadFile& operator=(const DownloadFile&) = delete;

  // Writes the first `bytes` (at most chunk_bytes) of `buffer` at `offset`, straight from
  // `buffer` (no copy); the rest of the buffer may be changed (padding). Thread-safe,
  // with a buffer per thread: direct writes from several threads go to the disk together,
  // which keeps more of the disk's queue busy than one write at a time.
  absl::Status Write(direct_io::AlignedBuffer& buffer, size_t bytes, uint64_t offset);

  // Sets the file's size to `size_bytes` (dropping any padding). It does not wait for the
  // disk to flush its cache (no fsync), as cp, curl and rclone do not: the server keeps
  // the file, so a power cut just after a download costs at most downloading it again,
  // while the flush cost a fifth of a 1 GiB download's time (docs/benchmarks.md).
  absl::Status Finish(uint64_t size_bytes);

  // Whether writes go straight to the disk.
  bool direct() const;

 private:
  DownloadFile(std::string path, int fd, int direct_fd, size_t chunk_bytes);

  const std::string path_;
  const int fd_;
  const size_t chunk_bytes_;
  const int direct_fd_;       // -1 where O_DIRECT was refused at open.
  std::atomic<bool> direct_;  // false once writes go through the page cache.
};

}  // namespace bitcontent::client
