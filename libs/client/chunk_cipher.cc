#include "libs/client/chunk_cipher.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/crypto/aead.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/random.h"

namespace bitcontent::client {
namespace {

constexpr absl::string_view kChunkLabel = "bitcontent/chunk/v1";

std::string Uint64Le(uint64_t value) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
  return bytes;
}

std::string AssociatedData(uint64_t index, bool last) {
  return absl::StrCat(kChunkLabel, Uint64Le(index),
                      last ? absl::string_view("\1", 1) : absl::string_view("\0", 1));
}

}  // namespace

absl::Status ChunkLayout::Validate() const {
  if (chunk_bytes < kChunkBytesMin || chunk_bytes > kChunkBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat("chunks are ", kChunkBytesMin, " to ",
                                                   kChunkBytesMax, " bytes, not ", chunk_bytes));
  }
  return absl::OkStatus();
}

uint64_t ChunkLayout::chunk_count() const {
  return std::max<uint64_t>(1, (plaintext_bytes + chunk_bytes - 1) / chunk_bytes);
}

uint64_t ChunkLayout::plaintext_bytes_of(uint64_t index) const {
  if (index + 1 < chunk_count()) return chunk_bytes;
  return plaintext_bytes - (chunk_count() - 1) * uint64_t{chunk_bytes};
}

uint64_t ChunkLayout::sealed_bytes_of(uint64_t index) const {
  return plaintext_bytes_of(index) + kChunkOverheadBytes;
}

uint64_t ChunkLayout::sealed_bytes() const {
  return plaintext_bytes + chunk_count() * kChunkOverheadBytes;
}

absl::StatusOr<ChunkCipher> ChunkCipher::Create(absl::string_view file_key,
                                                absl::string_view nonce_prefix) {
  if (file_key.size() != crypto::kAeadKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a file key is ", crypto::kAeadKeyBytes, " bytes, not ", file_key.size()));
  }
  if (nonce_prefix.size() != kNoncePrefixBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a nonce prefix is ", kNoncePrefixBytes, " bytes, not ", nonce_prefix.size()));
  }
  return ChunkCipher(std::string(file_key), std::string(nonce_prefix));
}

std::string ChunkCipher::RandomNoncePrefix() { return crypto::RandomBytes(kNoncePrefixBytes); }

std::string ChunkCipher::Nonce(uint64_t index) const {
  return absl::StrCat(nonce_prefix_, Uint64Le(index));
}

std::string ChunkCipher::Seal(uint64_t index, absl::string_view plaintext, bool last) const {
  return crypto::AeadSeal(key_, Nonce(index), plaintext, AssociatedData(index, last));
}

absl::StatusOr<std::string> ChunkCipher::Open(uint64_t index, std::string sealed, bool last) const {
  absl::StatusOr<size_t> size = OpenInPlace(index, absl::MakeSpan(sealed), last);
  if (!size.ok()) return size.status();
  sealed.resize(*size);
  return sealed;
}

absl::StatusOr<size_t> ChunkCipher::OpenInPlace(uint64_t index, absl::Span<char> sealed,
                                                bool last) const {
  absl::StatusOr<size_t> size =
      crypto::AeadOpenInPlace(key_, Nonce(index), sealed, AssociatedData(index, last));
  if (!size.ok()) {
    return absl::DataLossError(absl::StrCat("chunk ", index,
                                            " does not open: it was altered, or is not this "
                                            "file's chunk ",
                                            index, last ? " (the last)" : ""));
  }
  return size;
}

std::string ChunkHash(absl::string_view sealed) { return crypto::Blake2b256(sealed); }

}  // namespace bitcontent::client
