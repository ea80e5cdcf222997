// Base58 (Bitcoin's alphabet, no 0 O I l) and base58check: the payload followed by the
// first 4 bytes of its double SHA-256. Extended keys (xpub, zpub ...) and legacy
// addresses are base58check. Decoding takes untrusted text and answers every mistake
// with an InvalidArgument status.
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::bitcoin {

// Longest text the decoders accept; an extended key is 111 characters.
inline constexpr size_t kBase58TextLengthMax = 256;
inline constexpr size_t kBase58CheckChecksumBytes = 4;

// The base58 text of `bytes`; each leading zero byte becomes a leading '1'.
std::string Base58Encode(absl::string_view bytes);

// The bytes `text` spells. Fails on a character outside the alphabet or text longer
// than kBase58TextLengthMax.
absl::StatusOr<std::string> Base58Decode(absl::string_view text);

// base58(payload || first 4 bytes of DoubleSha256(payload)).
std::string Base58CheckEncode(absl::string_view payload);

// The payload of base58check `text`. Fails as Base58Decode does, when the text is too
// short to hold a checksum, or when the checksum does not match (a mistyped character).
absl::StatusOr<std::string> Base58CheckDecode(absl::string_view text);

}  // namespace bitcontent::bitcoin
