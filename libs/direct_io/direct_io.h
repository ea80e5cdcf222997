// Direct I/O: reading and writing files straight between a process's memory and the
// disk (O_DIRECT), past the page cache.
//
// On this project's 2-core virtual machines the kernel's copy of every written page into
// the page cache is dear: 1 GiB cost the CLI 1.0 to 1.7 s of CPU on a download, against
// 0.1 s for a direct write (docs/benchmarks.md), and a downloaded file is not read back
// soon. The CLI writes downloads this way, and the blob service reads a chunk's bytes
// this way. (Blobs writes chunks through the cache: the gateway sends a chunk just
// uploaded from there, chunk_file.h.) Direct I/O needs the buffer's address, the file
// offset and the length to be multiples of the device's logical block size: callers use
// an AlignedBuffer, pad the end, and cut the file to its real size afterwards. File systems that
// refuse direct I/O (tmpfs, some network file systems) answer EINVAL; callers then go through the
// page cache as usual.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/strings/string_view.h"

namespace bitcontent::direct_io {

// A multiple of every Linux block device's logical block size.
inline constexpr size_t kAlignmentBytes = 4096;

// `bytes` rounded up to a multiple of kAlignmentBytes.
constexpr size_t RoundUp(size_t bytes) {
  return (bytes + kAlignmentBytes - 1) / kAlignmentBytes * kAlignmentBytes;
}

// Memory at an address that is a multiple of kAlignmentBytes, uninitialised.
class AlignedBuffer {
 public:
  // RoundUp(bytes) bytes; none for 0.
  explicit AlignedBuffer(size_t bytes);

  char* data() { return data_.get(); }
  size_t size() const { return size_; }

 private:
  size_t size_;
  std::unique_ptr<char, void (*)(void*)> data_;
};

// Turns O_DIRECT on for the open file `fd`; false when the file system refuses it (the
// file then goes on through the page cache). Opening without O_DIRECT and turning it on
// here, rather than opening with it, means a refusal never leaves a half-made file.
bool Enable(int fd);

// Writes the first `bytes` of `buffer` at `offset` (a multiple of kAlignmentBytes) to
// `fd`, opened with O_DIRECT: pads them with zeros in place to a whole block, so the file
// may end up to kAlignmentBytes - 1 bytes longer than written; ftruncate it. Returns 0
// when written, EINVAL when the file system refuses direct writes (write through the
// page cache instead), and another errno value (EIO for a short write) for a real
// failure.
int WriteInPlace(int fd, AlignedBuffer& buffer, size_t bytes, uint64_t offset);

// Reads the first `bytes` of `fd`, opened with O_DIRECT, into `buffer` (at least
// RoundUp(bytes) bytes). Returns 0 when read, EINVAL when the file system refuses direct
// reads (read through the page cache instead), and another errno value (EIO when the
// file is shorter) for a real failure.
int Read(int fd, size_t bytes, AlignedBuffer& buffer);

}  // namespace bitcontent::direct_io
