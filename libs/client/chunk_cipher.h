// File content as the client seals it (DESIGN.md, trust model): a version's plaintext
// in fixed-size chunks (1 MiB by default; the last may be shorter, and an empty file is
// one empty chunk), each sealed with XChaCha20-Poly1305 under the file key with
//
//   nonce = the version's 16-byte random prefix || uint64 little-endian chunk index
//   associated data = "bitcontent/chunk/v1" || uint64 LE index || 1 if last else 0
//
// so any chunk opens on its own (seeking reads only the chunks it needs), and a chunk
// moved to another position, taken from another version, or a file cut short (its
// new last chunk was not sealed as last) does not open. Sealed chunks are stored by the
// BLAKE2b-256 of their bytes (ChunkHash). A Version (metadata/v1/nodes.proto) records
// chunk_size_bytes = chunk_bytes + kChunkOverheadBytes, the sealed size of every chunk
// but the last.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace bitcontent::client {

inline constexpr uint32_t kChunkBytesDefault = 1 << 20;
inline constexpr uint32_t kChunkBytesMin = 64 << 10;
inline constexpr uint32_t kChunkBytesMax = 4 << 20;
inline constexpr size_t kNoncePrefixBytes = 16;
// What sealing adds to a chunk (the Poly1305 tag).
inline constexpr size_t kChunkOverheadBytes = 16;

// How a file of `plaintext_bytes` splits into chunks of `chunk_bytes` of plaintext.
struct ChunkLayout {
  uint64_t plaintext_bytes = 0;
  uint32_t chunk_bytes = kChunkBytesDefault;

  // INVALID_ARGUMENT unless kChunkBytesMin <= chunk_bytes <= kChunkBytesMax.
  absl::Status Validate() const;
  // At least 1: an empty file is one empty chunk.
  uint64_t chunk_count() const;
  uint64_t plaintext_bytes_of(uint64_t index) const;
  uint64_t sealed_bytes_of(uint64_t index) const;
  // Everything sealed: what the blob holds and the quota counts.
  uint64_t sealed_bytes() const;
  // The chunk holding plaintext byte `offset`, and where in it (for Range reads).
  uint64_t chunk_of(uint64_t offset) const { return offset / chunk_bytes; }
  uint64_t offset_in_chunk(uint64_t offset) const { return offset % chunk_bytes; }
};

class ChunkCipher {
 public:
  // `file_key` is 32 bytes, `nonce_prefix` kNoncePrefixBytes (RandomNoncePrefix() for a
  // new version); INVALID_ARGUMENT otherwise.
  static absl::StatusOr<ChunkCipher> Create(absl::string_view file_key,
                                            absl::string_view nonce_prefix);

  // 16 random bytes: a new version's nonce prefix.
  static std::string RandomNoncePrefix();

  std::string Seal(uint64_t index, absl::string_view plaintext, bool last) const;

  // The plaintext, opened over `sealed` (move a fetched chunk in: it costs no copy).
  // DATA_LOSS when `sealed` is not chunk `index` (with that last flag) of this version
  // under this key, or was altered.
  absl::StatusOr<std::string> Open(uint64_t index, std::string sealed, bool last) const;
  // The same over memory the caller keeps: returns the plaintext's size, its bytes at the
  // start of `sealed`.
  absl::StatusOr<size_t> OpenInPlace(uint64_t index, absl::Span<char> sealed, bool last) const;

 private:
  ChunkCipher(std::string key, std::string nonce_prefix)
      : key_(std::move(key)), nonce_prefix_(std::move(nonce_prefix)) {}

  std::string Nonce(uint64_t index) const;

  std::string key_;
  std::string nonce_prefix_;
};

// The content address of a sealed chunk: its 32-byte BLAKE2b-256.
std::string ChunkHash(absl::string_view sealed);

}  // namespace bitcontent::client
