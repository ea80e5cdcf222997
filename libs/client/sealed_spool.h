// SealedSpool: a stream of unknown length (`bitcontent put -` reads standard input) made
// into something an upload can begin with. An upload states its size and chunk count
// before its first byte (the quota is reserved first, the blob session checks every
// chunk against the layout), and a pipe says neither until it ends. So the stream is
// read to its end and sealed chunk by chunk as it comes, into a temporary file that the
// upload then sends from like any other.
//
// Only ciphertext reaches the disk: the file key never does, and the file is unlinked
// from the start (O_TMPFILE in $TMPDIR, else /tmp), so it is gone when the process ends
// however it ends. That also means an upload from a stream cannot resume: run again, it
// starts over. At most kPlaintextBytesMax are taken; a stream that is longer, or a
// temporary directory without room, is refused with a message saying what to do.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/client/chunk_cipher.h"

namespace bitcontent::client {

class SealedSpool {
 public:
  // 64 GiB: more than a pipe usually carries, far less than most temporary disks hold
  // for long; beyond it, save the stream to a file and put that (which also resumes).
  static constexpr uint64_t kPlaintextBytesMax = uint64_t{64} << 30;

  // Reads `input` to its end, sealing each chunk of `chunk_bytes` with `cipher` (the last
  // one marked last; an empty stream is one empty chunk) into a temporary file under
  // `directory` (empty: $TMPDIR, else /tmp). RESOURCE_EXHAUSTED past
  // `plaintext_bytes_max` or when the directory's disk is full; UNAVAILABLE when the
  // stream cannot be read.
  static absl::StatusOr<std::unique_ptr<SealedSpool>> Fill(
      int input, const ChunkCipher& cipher, uint32_t chunk_bytes,
      uint64_t plaintext_bytes_max = kPlaintextBytesMax, std::string directory = "");
  ~SealedSpool();
  SealedSpool(const SealedSpool&) = delete;
  SealedSpool& operator=(const SealedSpool&) = delete;

  // What was read: the plaintext's size and how it is cut into chunks.
  const ChunkLayout& layout() const { return layout_; }
  // Sealed chunk `index` (< layout().chunk_count()), as Fill sealed it. Thread-safe.
  absl::StatusOr<std::string> SealedChunk(uint32_t index) const;

 private:
  SealedSpool(int fd, std::string directory) : fd_(fd), directory_(std::move(directory)) {}

  const int fd_;
  const std::string directory_;
  ChunkLayout layout_;  // Set once Fill has read the whole stream.
};

}  // namespace bitcontent::client
