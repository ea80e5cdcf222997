#include "libs/direct_io/direct_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

namespace bitcontent::direct_io {

AlignedBuffer::AlignedBuffer(size_t bytes)
    : size_(RoundUp(bytes)),
      data_(size_ == 0 ? nullptr : static_cast<char*>(std::aligned_alloc(kAlignmentBytes, size_)),
            std::free) {
  if (size_ != 0 && data_ == nullptr) throw std::bad_alloc();
}

bool Enable(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && fcntl(fd, F_SETFL, flags | O_DIRECT) == 0;
}

int WriteInPlace(int fd, AlignedBuffer& buffer, size_t bytes, uint64_t offset) {
  const size_t padded = RoundUp(bytes);
  if (padded > buffer.size() || offset % kAlignmentBytes != 0) return EINVAL;
  std::memset(buffer.data() + bytes, 0, padded - bytes);
  size_t done = 0;
  while (done < padded) {
    const ssize_t n =
        pwrite(fd, buffer.data() + done, padded - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    // A direct write that stops short (a full disk) leaves the rest unaligned: give up.
    if (n == 0 || static_cast<size_t>(n) % kAlignmentBytes != 0) return EIO;
    done += static_cast<size_t>(n);
  }
  return 0;
}

int Read(int fd, size_t bytes, AlignedBuffer& buffer) {
  const size_t padded = RoundUp(bytes);
  if (padded > buffer.size()) return EINVAL;
  size_t done = 0;
  while (done < bytes) {
    const ssize_t n = pread(fd, buffer.data() + done, padded - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    // Short only at the end of the file; a read that stops mid-file is resumed only on a
    // block boundary, which direct I/O needs.
    if (n == 0 || (done + static_cast<size_t>(n) < bytes && n % kAlignmentBytes != 0)) {
      return EIO;
    }
    done += static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace bitcontent::direct_io
