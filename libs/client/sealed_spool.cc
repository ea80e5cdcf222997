#include "libs/client/sealed_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "libs/client/transfer_workers.h"

namespace bitcontent::client {
namespace {

// A new file under `directory` that no name leads to, open for reading and writing.
absl::StatusOr<int> OpenUnnamed(const std::string& directory) {
  int fd = open(directory.c_str(), O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // Some file systems have no O_TMPFILE: a named file, unlinked at once.
  std::string name = absl::StrCat(directory, "/bitcontent-stdin-XXXXXX");
  fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return Errno("make a temporary file in", directory);
  unlink(name.c_str());
  return fd;
}

// Reads from `input` until `buffer` is full or the stream ends; returns the bytes read
// (fewer than the buffer's size only at the end).
absl::StatusOr<size_t> ReadUpTo(int input, std::string& buffer) {
  size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n = read(input, buffer.data() + done, buffer.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("read", "standard input");
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SealedSpool>> SealedSpool::Fill(int input, const ChunkCipher& cipher,
                                                               uint32_t chunk_bytes,
                                                               uint64_t plaintext_bytes_max,
                                                               std::string directory) {
  if (directory.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    directory = tmpdir != nullptr && tmpdir[0] != '\0' ? tmpdir : "/tmp";
  }
  absl::StatusOr<int> fd = OpenUnnamed(directory);
  if (!fd.ok()) return fd.status();
  std::unique_ptr<SealedSpool> spool(new SealedSpool(*fd, directory));
  const uint64_t sealed_stride = uint64_t{chunk_bytes} + kChunkOverheadBytes;
  // A chunk is sealed once the next is read: only then is it known whether it is last.
  std::string current(chunk_bytes, '\0');
  std::string next(chunk_bytes, '\0');
  absl::StatusOr<size_t> current_size = ReadUpTo(input, current);
  if (!current_size.ok()) return current_size.status();
  uint64_t plaintext_bytes = 0;
  for (uint64_t index = 0;; ++index) {
    current.resize(*current_size);
    plaintext_bytes += current.size();
    if (plaintext_bytes > plaintext_bytes_max) {
      return absl::ResourceExhaustedError(
          absl::StrCat("standard input is longer than ", plaintext_bytes_max,
                       " bytes, the most `put -` holds (sealed, in ", directory,
                       ") before sending: save it to a file and put that"));
    }
    bool last = current.size() < chunk_bytes;
    size_t next_size = 0;
    if (!last) {
      next.resize(chunk_bytes);
      absl::StatusOr<size_t> got = ReadUpTo(input, next);
      if (!got.ok()) return got.status();
      next_size = *got;
      last = next_size == 0;
    }
    const std::string sealed = cipher.Seal(index, current, last);
    if (absl::Status s = WriteFully(spool->fd_, sealed, index * sealed_stride, directory);
        !s.ok()) {
      if (errno == ENOSPC) {
        return absl::ResourceExhaustedError(absl::StrCat(
            "no room in ", directory,
            " to hold standard input (sealed) before sending it: set "
            "TMPDIR to a directory on a disk with more room, or save it to a file and put that"));
      }
      return s;
    }
    if (last) break;
    std::swap(current, next);
    current_size = next_size;
  }
  spool->layout_ = ChunkLayout{.plaintext_bytes = plaintext_bytes, .chunk_bytes = chunk_bytes};
  return spool;
}

SealedSpool::~SealedSpool() { close(fd_); }

absl::StatusOr<std::string> SealedSpool::SealedChunk(uint32_t index) const {
  if (index >= layout_.chunk_count()) {
    return absl::OutOfRangeError(absl::StrCat("chunk ", index, " is past the end of the stream"));
  }
  std::string sealed(layout_.sealed_bytes_of(index), '\0');
  const uint64_t offset = uint64_t{index} * (layout_.chunk_bytes + kChunkOverheadBytes);
  if (absl::Status s = ReadFully(fd_, sealed, offset, "the temporary copy of standard input");
      !s.ok()) {
    return s;
  }
  return sealed;
}

}  // namespace bitcontent::client
