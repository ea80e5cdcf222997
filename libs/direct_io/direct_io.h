// Direct I/O: reading and writing files straight between a process's memory and the
// disk (O_DIRECT), past the page cache.
//
// On this project's 2-core virtual machines the kernel's copy of every written page into
// the page cache is dear: 1 GiB cost the blob service 2.2 s of CPU on an upload and the
// CLI 1.0 to 1.7 s on a download, against 0.1 s for a copy into an aligned buffer and a
// direct write (docs/benchmarks.md). Chunks are written once and read rarely, so caching
// them buys little. Direct I/O needs the buffer's address, the file offset and the length
// to be multiples of the device's logical block size: callers copy into an AlignedBuffer,
// pad the end, and cut the file to its real size afterwards. File systems that refuse
// direct I/O (tmpfs, some network file systems) answer EINVAL; callers then go through
// the page cache as usual.
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

// Writes `bytes` at `offset` (a multiple of kAlignmentBytes) to `fd`, opened with
// O_DIRECT: copies them into `scratch` (at least RoundUp(bytes.size()) bytes) and pads
// them with zeros to a whole block, so the file may end up to kAlignmentBytes - 1 bytes
// longer than written; ftruncate it. Returns 0 when written, EINVAL when the file system
// refuses direct writes (write through the page cache instead), and another errno value
// (EIO for a short write) for a real failure.
int Write(int fd, absl::string_view bytes, uint64_t offset, AlignedBuffer& scratch);

// Write for bytes already at the start of `buffer`: pads them with zeros in place and
// writes them from there, with no copy.
int WriteInPlace(int fd, AlignedBuffer& buffer, size_t bytes, uint64_t offset);

// Reads the first `bytes` of `fd`, opened with O_DIRECT, into `buffer` (at least
// RoundUp(bytes) bytes). Returns 0 when read, EINVAL when the file system refuses direct
// reads (read through the page cache instead), and another errno value (EIO when the
// file is shorter) for a real failure.
int Read(int fd, size_t bytes, AlignedBuffer& buffer);

}  // namespace bitcontent::direct_io
