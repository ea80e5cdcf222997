// Bech32 (BIP173) and Bech32m (BIP350) strings: a human-readable part, the separator
// '1', data in 5-bit groups and a 6-character BCH checksum. The two encodings differ
// only in the constant the checksum is xored with. Segwit addresses on top of this are
// in segwit_address.h. Decoding takes untrusted text and explains every refusal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::bitcoin {

enum class Bech32Encoding { kBech32, kBech32m };

// Longest string BIP173 allows (human-readable part, separator, data and checksum).
inline constexpr size_t kBech32LengthMax = 90;
inline constexpr size_t kBech32ChecksumLength = 6;

struct Bech32Decoded {
  Bech32Encoding encoding;
  std::string hrp;              // lower case
  std::vector<uint8_t> values;  // 5-bit groups, checksum removed
};

// The lower-case string of `hrp` (1..83 characters in 33..126, lower case) and the
// 5-bit `values`. Requires valid input and a total length of at most kBech32LengthMax;
// aborts otherwise (the caller builds both).
std::string Bech32Encode(Bech32Encoding encoding, absl::string_view hrp,
                         const std::vector<uint8_t>& values);

// Splits and checks `text`: length, characters, case, separator, data alphabet and a
// checksum valid under either encoding (reported in the result).
absl::StatusOr<Bech32Decoded> Bech32Decode(absl::string_view text);

// Regroups bits: 8-bit bytes to 5-bit values (with zero padding) when from_bits=8,
// to_bits=5, pad=true; back with pad=false, which fails on more than 4 padding bits or
// on padding that is not zero.
absl::StatusOr<std::vector<uint8_t>> ConvertBits(const std::vector<uint8_t>& in, int from_bits,
                                                 int to_bits, bool pad);

}  // namespace bitcontent::bitcoin
