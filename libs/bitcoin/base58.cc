#include "libs/bitcoin/base58.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "libs/bitcoin/hash.h"

namespace bitcontent::bitcoin {
namespace {

constexpr absl::string_view kAlphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// The value of a base58 digit, or -1.
int DigitValue(char c) {
  const size_t position = kAlphabet.find(c);
  return position == absl::string_view::npos ? -1 : static_cast<int>(position);
}

}  // namespace

std::string Base58Encode(absl::string_view bytes) {
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == '\0') ++zeros;
  // Base-58 digits, least significant first; log(256)/log(58) < 1.37.
  std::vector<unsigned char> digits;
  digits.reserve(bytes.size() * 137 / 100 + 1);
  for (size_t i = zeros; i < bytes.size(); ++i) {
    unsigned carry = static_cast<unsigned char>(bytes[i]);
    for (unsigned char& digit : digits) {
      carry += static_cast<unsigned>(digit) << 8;
      digit = static_cast<unsigned char>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<unsigned char>(carry % 58));
      carry /= 58;
    }
  }
  std::string text(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) text.push_back(kAlphabet[*it]);
  return text;
}

absl::StatusOr<std::string> Base58Decode(absl::string_view text) {
  if (text.size() > kBase58TextLengthMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("base58 text is %d characters; at most %d are accepted", text.size(),
                        kBase58TextLengthMax));
  }
  size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  // Bytes, least significant first.
  std::vector<unsigned char> bytes;
  bytes.reserve(text.size());
  for (size_t i = ones; i < text.size(); ++i) {
    const int value = DigitValue(text[i]);
    if (value < 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "character %d ('%c') is not in the base58 alphabet (which has no 0, O, I or l)", i + 1,
          text[i]));
    }
    unsigned carry = static_cast<unsigned>(value);
    for (unsigned char& byte : bytes) {
      carry += static_cast<unsigned>(byte) * 58;
      byte = static_cast<unsigned char>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<unsigned char>(carry & 0xff));
      carry >>= 8;
    }
  }
  std::string decoded(ones, '\0');
  decoded.append(bytes.rbegin(), bytes.rend());
  return decoded;
}

std::string Base58CheckEncode(absl::string_view payload) {
  std::string data(payload);
  data += DoubleSha256(payload).substr(0, kBase58CheckChecksumBytes);
  return Base58Encode(data);
}

absl::StatusOr<std::string> Base58CheckDecode(absl::string_view text) {
  absl::StatusOr<std::string> data = Base58Decode(text);
  if (!data.ok()) return data.status();
  if (data->size() < kBase58CheckChecksumBytes) {
    return absl::InvalidArgumentError("base58check text is too short to hold its 4-byte checksum");
  }
  const size_t payload_size = data->size() - kBase58CheckChecksumBytes;
  const std::string payload = data->substr(0, payload_size);
  if (DoubleSha256(payload).substr(0, kBase58CheckChecksumBytes) != data->substr(payload_size)) {
    return absl::InvalidArgumentError(
        "base58check checksum does not match: the text was probably mistyped or cut; copy it "
        "again from its source");
  }
  return payload;
}

}  // namespace bitcontent::bitcoin
