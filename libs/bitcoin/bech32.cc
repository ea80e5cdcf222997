#include "libs/bitcoin/bech32.h"

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

namespace bitcontent::bitcoin {
namespace {

constexpr absl::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr uint32_t kBech32Constant = 1, kBech32mConstant = 0x2bc830a3;

uint32_t Constant(Bech32Encoding encoding) {
  return encoding == Bech32Encoding::kBech32 ? kBech32Constant : kBech32mConstant;
}

// The BCH checksum's polynomial remainder over GF(32) (BIP173).
uint32_t Polymod(const std::vector<uint8_t>& values) {
  constexpr uint32_t kGenerator[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t checksum = 1;
  for (uint8_t value : values) {
    const uint32_t top = checksum >> 25;
    checksum = (checksum & 0x1ffffff) << 5 ^ value;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) checksum ^= kGenerator[i];
    }
  }
  return checksum;
}

// The human-readable part as the checksum sees it: high bits, a zero, low bits.
std::vector<uint8_t> ExpandHrp(absl::string_view hrp) {
  std::vector<uint8_t> expanded;
  expanded.reserve(hrp.size() * 2 + 1);
  for (char c : hrp) expanded.push_back(static_cast<uint8_t>(c) >> 5);
  expanded.push_back(0);
  for (char c : hrp) expanded.push_back(static_cast<uint8_t>(c) & 31);
  return expanded;
}

[[noreturn]] void InvalidEncodeInput(const char* what) {
  std::fprintf(stderr, "Bech32Encode: %s\n", what);
  std::abort();
}

}  // namespace

std::string Bech32Encode(Bech32Encoding encoding, absl::string_view hrp,
                         const std::vector<uint8_t>& values) {
  if (hrp.empty() || hrp.size() + 1 + values.size() + kBech32ChecksumLength > kBech32LengthMax) {
    InvalidEncodeInput("length out of range");
  }
  for (char c : hrp) {
    if (c < 33 || c > 126 || absl::ascii_isupper(static_cast<unsigned char>(c))) {
      InvalidEncodeInput("human-readable part must be printable lower-case ASCII");
    }
  }
  std::vector<uint8_t> checked = ExpandHrp(hrp);
  for (uint8_t value : values) {
    if (value > 31) InvalidEncodeInput("a value exceeds 5 bits");
    checked.push_back(value);
  }
  checked.insert(checked.end(), kBech32ChecksumLength, 0);
  const uint32_t checksum = Polymod(checked) ^ Constant(encoding);
  std::string text(hrp);
  text.push_back('1');
  for (uint8_t value : values) text.push_back(kCharset[value]);
  for (size_t i = 0; i < kBech32ChecksumLength; ++i) {
    text.push_back(kCharset[(checksum >> (5 * (kBech32ChecksumLength - 1 - i))) & 31]);
  }
  return text;
}

absl::StatusOr<Bech32Decoded> Bech32Decode(absl::string_view text) {
  if (text.size() > kBech32LengthMax) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "bech32 string is %d characters; at most %d are allowed", text.size(), kBech32LengthMax));
  }
  bool lower = false, upper = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 33 || c > 126) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "character %d is not printable ASCII (0x%02x); retype the address", i + 1, c));
    }
    lower |= absl::ascii_islower(c);
    upper |= absl::ascii_isupper(c);
  }
  if (lower && upper) {
    return absl::InvalidArgumentError(
        "bech32 string mixes upper and lower case; use one case throughout");
  }
  const std::string folded = absl::AsciiStrToLower(text);
  const size_t separator = folded.rfind('1');
  if (separator == std::string::npos) {
    return absl::InvalidArgumentError("bech32 string has no separator '1'");
  }
  if (separator == 0) {
    return absl::InvalidArgumentError("bech32 string has an empty human-readable part");
  }
  if (folded.size() - separator - 1 < kBech32ChecksumLength) {
    return absl::InvalidArgumentError(
        "bech32 string is too short after the separator to hold its 6-character checksum");
  }
  Bech32Decoded decoded{Bech32Encoding::kBech32, folded.substr(0, separator), {}};
  std::vector<uint8_t> checked = ExpandHrp(decoded.hrp);
  for (size_t i = separator + 1; i < folded.size(); ++i) {
    const size_t value = kCharset.find(folded[i]);
    if (value == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "character %d ('%c') is not in the bech32 alphabet (which has no 1, b, i or o)", i + 1,
          text[i]));
    }
    checked.push_back(static_cast<uint8_t>(value));
  }
  const uint32_t remainder = Polymod(checked);
  if (remainder == kBech32Constant) {
    decoded.encoding = Bech32Encoding::kBech32;
  } else if (remainder == kBech32mConstant) {
    decoded.encoding = Bech32Encoding::kBech32m;
  } else {
    return absl::InvalidArgumentError(
        "bech32 checksum does not match: the address was probably mistyped or cut; copy it "
        "again from its source");
  }
  decoded.values.assign(checked.begin() + static_cast<ptrdiff_t>(decoded.hrp.size() * 2 + 1),
                        checked.end() - kBech32ChecksumLength);
  return decoded;
}

absl::StatusOr<std::vector<uint8_t>> ConvertBits(const std::vector<uint8_t>& in, int from_bits,
                                                 int to_bits, bool pad) {
  const uint32_t mask_out = (1u << to_bits) - 1;
  uint32_t accumulator = 0;
  int bits = 0;
  std::vector<uint8_t> out;
  out.reserve(in.size() * from_bits / to_bits + 1);
  for (uint8_t value : in) {
    if (value >> from_bits) {
      return absl::InvalidArgumentError(
          absl::StrFormat("value %d exceeds %d bits", value, from_bits));
    }
    accumulator = accumulator << from_bits | value;
    bits += from_bits;
    while (bits >= to_bits) {
      bits -= to_bits;
      out.push_back(static_cast<uint8_t>((accumulator >> bits) & mask_out));
    }
    accumulator &= (1u << bits) - 1;  // Keep only the bits not yet written.
  }
  if (pad) {
    if (bits > 0) out.push_back(static_cast<uint8_t>((accumulator << (to_bits - bits)) & mask_out));
  } else if (bits >= from_bits) {
    return absl::InvalidArgumentError("data has more than 4 bits of padding");
  } else if (accumulator != 0) {
    return absl::InvalidArgumentError("data has padding bits that are not zero");
  }
  return out;
}

}  // namespace bitcontent::bitcoin
