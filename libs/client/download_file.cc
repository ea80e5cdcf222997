#include "libs/client/download_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "libs/client/transfer_workers.h"

namespace bitcontent::client {
namespace {

size_t RoundUp(size_t bytes) {
  const size_t align = DownloadFile::kAlignmentBytes;
  return (bytes + align - 1) / align * align;
}

}  // namespace

absl::StatusOr<std::unique_ptr<DownloadFile>> DownloadFile::Create(const std::string& path,
                                                                   size_t chunk_bytes) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("create", path);
  int direct_fd = -1;
  if (chunk_bytes % kAlignmentBytes == 0) {
    direct_fd = open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);  // -1: not here.
  }
  return std::unique_ptr<DownloadFile>(new DownloadFile(path, fd, direct_fd, chunk_bytes));
}

DownloadFile::DownloadFile(std::string path, int fd, int direct_fd, size_t chunk_bytes)
    : path_(std::move(path)),
      fd_(fd),
      chunk_bytes_(chunk_bytes),
      direct_fd_(direct_fd),
      aligned_(nullptr, std::free) {
  if (direct_fd_ >= 0) {
    aligned_.reset(static_cast<char*>(std::aligned_alloc(kAlignmentBytes, RoundUp(chunk_bytes))));
  }
}

DownloadFile::~DownloadFile() {
  absl::MutexLock lock(&mu_);
  if (direct_fd_ >= 0) close(direct_fd_);
  close(fd_);
}

bool DownloadFile::direct() const {
  absl::MutexLock lock(&mu_);
  return direct_fd_ >= 0;
}

absl::Status DownloadFile::Write(absl::string_view bytes, uint64_t offset) {
  absl::MutexLock lock(&mu_);
  if (direct_fd_ >= 0 && offset % kAlignmentBytes == 0 && bytes.size() <= chunk_bytes_) {
    const size_t padded = RoundUp(bytes.size());
    std::memcpy(aligned_.get(), bytes.data(), bytes.size());
    std::memset(aligned_.get() + bytes.size(), 0, padded - bytes.size());
    const ssize_t n = pwrite(direct_fd_, aligned_.get(), padded, static_cast<off_t>(offset));
    if (n == static_cast<ssize_t>(padded)) return absl::OkStatus();
    if (n >= 0 || errno != EINVAL) {
      // A short write or a real failure (ENOSPC, EIO): say so, as a buffered write would.
      return n < 0 ? Errno("write", path_) : WriteFully(fd_, bytes, offset, path_);
    }
    // EINVAL: this file system refuses direct writes after all; cache from now on.
    close(direct_fd_);
    direct_fd_ = -1;
  }
  return WriteFully(fd_, bytes, offset, path_);
}

absl::Status DownloadFile::Finish(uint64_t size_bytes) {
  absl::MutexLock lock(&mu_);
  if (ftruncate(fd_, static_cast<off_t>(size_bytes)) != 0 || fsync(fd_) != 0) {
    return Errno("write", path_);
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::client
