#include "libs/client/download_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "absl/strings/str_cat.h"
#include "libs/client/transfer_workers.h"

namespace bitcontent::client {

absl::StatusOr<std::unique_ptr<DownloadFile>> DownloadFile::Create(const std::string& path,
                                                                   size_t chunk_bytes,
                                                                   uint64_t size_bytes,
                                                                   bool resume) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | (resume ? 0 : O_TRUNC) | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("create", path);
  // Rounded up to a whole block: the last chunk's direct write is padded to one.
  const off_t reserved = static_cast<off_t>(direct_io::RoundUp(size_bytes));
  const auto no_room = [&] {
    close(fd);
    if (!resume) unlink(path.c_str());
    return absl::ResourceExhaustedError(absl::StrCat(
        "no room for ", size_bytes, " bytes on the disk of ", path, ": free some space"));
  };
  // Measured first: fallocate refusing a size past the free space may take every free
  // block before it gives up, and other programs' writes fail meanwhile.
  struct stat held = {};
  struct statvfs disk = {};
  if (fstat(fd, &held) == 0 && fstatvfs(fd, &disk) == 0) {
    const uint64_t allocated = static_cast<uint64_t>(held.st_blocks) * 512;  // A resumed file's.
    const uint64_t free_bytes = static_cast<uint64_t>(disk.f_bavail) * disk.f_frsize;
    if (static_cast<uint64_t>(reserved) > allocated &&
        static_cast<uint64_t>(reserved) - allocated > free_bytes) {
      return no_room();
    }
  }
  if (reserved > 0 && fallocate(fd, 0, 0, reserved) != 0 && errno != EOPNOTSUPP) {
    if (errno == ENOSPC) return no_room();
    const int error = errno;
    close(fd);
    if (!resume) unlink(path.c_str());
    errno = error;
    return Errno("reserve space for", path);
  }
  int direct_fd = -1;
  if (chunk_bytes % direct_io::kAlignmentBytes == 0) {
    direct_fd = open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);  // -1: not here.
  }
  return std::unique_ptr<DownloadFile>(new DownloadFile(path, fd, direct_fd, chunk_bytes));
}

DownloadFile::DownloadFile(std::string path, int fd, int direct_fd, size_t chunk_bytes)
    : path_(std::move(path)),
      fd_(fd),
      chunk_bytes_(chunk_bytes),
      direct_fd_(direct_fd),
      direct_(direct_fd >= 0) {}

DownloadFile::~DownloadFile() {
  if (direct_fd_ >= 0) close(direct_fd_);
  close(fd_);
}

bool DownloadFile::direct() const { return direct_.load(); }

absl::Status DownloadFile::Write(direct_io::AlignedBuffer& buffer, size_t bytes, uint64_t offset) {
  if (direct_.load() && offset % direct_io::kAlignmentBytes == 0 && bytes <= chunk_bytes_) {
    const int error = direct_io::WriteInPlace(direct_fd_, buffer, bytes, offset);
    if (error == 0) return absl::OkStatus();
    if (error != EINVAL) {
      // A real failure (ENOSPC, EIO): say so, as a buffered write would.
      errno = error;
      return Errno("write", path_);
    }
    // EINVAL: this file system refuses direct writes after all; cache from now on. The
    // descriptor stays open until the end, since other threads may be writing through it.
    direct_.store(false);
  }
  return WriteFully(fd_, absl::string_view(buffer.data(), bytes), offset, path_);
}

absl::Status DownloadFile::Finish(uint64_t size_bytes) {
  if (ftruncate(fd_, static_cast<off_t>(size_bytes)) != 0) {
    return Errno("write", path_);
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::client
