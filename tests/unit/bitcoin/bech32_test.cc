#include "libs/bitcoin/bech32.h"

#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/ascii.h"

namespace bitcontent::bitcoin {
namespace {

// BIP173 "valid Bech32" test vectors.
const char* const kValidBech32[] = {
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
};

// BIP350 "valid Bech32m" test vectors.
const char* const kValidBech32m[] = {
    "A1LQFN3A",
    "a1lqfn3a",
    "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
    "?1v759aa",
};

// BIP173 and BIP350 invalid strings, each with the reason the BIP gives.
struct InvalidVector {
  std::string text;
  const char* reason;
};
const InvalidVector kInvalid[] = {
    {"\x20"
     "1nwldj5",
     "HRP character out of range"},
    {"\x7f"
     "1axkwrx",
     "HRP character out of range"},
    {"\x80"
     "1eym55h",
     "HRP character out of range"},
    {"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
     "overall max length exceeded"},
    {"pzry9x0s0muk", "no separator character"},
    {"1pzry9x0s0muk", "empty HRP"},
    {"x1b4n0q5v", "invalid data character"},
    {"li1dgmt3", "too short checksum"},
    {"de1lg7wt\xff", "invalid character in checksum"},
    {"A1G7SGD8", "checksum calculated with uppercase form of HRP"},
    {"10a06t8", "empty HRP"},
    {"1qzzfhee", "empty HRP"},
    {"\x20"
     "1xj0phk",
     "HRP character out of range"},
    {"\x7f"
     "1g6xzxy",
     "HRP character out of range"},
    {"\x80"
     "1vctc34",
     "HRP character out of range"},
    {"an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
     "overall max length exceeded"},
    {"qyrz8wqd2c9m", "no separator character"},
    {"1qyrz8wqd2c9m", "empty HRP"},
    {"y1b0jsk6g", "invalid data character"},
    {"lt1igcx5c0", "invalid data character"},
    {"in1muywd", "too short checksum"},
    {"mm1crxm3i", "invalid character in checksum"},
    {"au1s5cgom", "invalid character in checksum"},
    {"M1VUXWEZ", "checksum calculated with uppercase form of HRP"},
    {"16plkw9", "empty HRP"},
    {"1p2gdwpf", "empty HRP"},
};

// Decodes `text`, requires `encoding`, and re-encodes to the same (lower-case) string.
void CheckValid(const std::string& text, Bech32Encoding encoding) {
  INFO(text);
  absl::StatusOr<Bech32Decoded> decoded = Bech32Decode(text);
  REQUIRE(decoded.ok());
  CHECK(decoded->encoding == encoding);
  CHECK(Bech32Encode(encoding, decoded->hrp, decoded->values) == absl::AsciiStrToLower(text));
}

TEST_CASE("bitcoin bech32: BIP173 valid strings decode as bech32 and re-encode") {
  for (const char* text : kValidBech32) CheckValid(text, Bech32Encoding::kBech32);
}

TEST_CASE("bitcoin bech32: BIP350 valid strings decode as bech32m and re-encode") {
  for (const char* text : kValidBech32m) CheckValid(text, Bech32Encoding::kBech32m);
}

TEST_CASE("bitcoin bech32: BIP173 and BIP350 invalid strings are refused") {
  for (const InvalidVector& vector : kInvalid) {
    INFO(vector.reason);
    absl::StatusOr<Bech32Decoded> decoded = Bech32Decode(vector.text);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_FALSE(decoded.status().message().empty());
  }
}

TEST_CASE("bitcoin bech32: refusals name the problem") {
  CHECK_THAT(std::string(Bech32Decode("a12uel5m").status().message()),
             Catch::Contains("checksum does not match"));
  CHECK_THAT(std::string(Bech32Decode("A12uel5l").status().message()),
             Catch::Contains("mixes upper and lower case"));
  CHECK_THAT(std::string(Bech32Decode("x1b4n0q5v").status().message()),
             Catch::Contains("bech32 alphabet"));
  CHECK_THAT(std::string(Bech32Decode("pzry9x0s0muk").status().message()),
             Catch::Contains("no separator"));
}

TEST_CASE("bitcoin bech32: empty data encodes to the published strings") {
  CHECK(Bech32Encode(Bech32Encoding::kBech32, "a", {}) == "a12uel5l");
  CHECK(Bech32Encode(Bech32Encoding::kBech32m, "a", {}) == "a1lqfn3a");
}

TEST_CASE("bitcoin bech32: ConvertBits round trips and refuses bad padding") {
  const std::vector<uint8_t> bytes = {0x00, 0xff, 0x12, 0x34, 0x56};
  absl::StatusOr<std::vector<uint8_t>> five = ConvertBits(bytes, 8, 5, /*pad=*/true);
  REQUIRE(five.ok());
  CHECK(five->size() == 8);
  absl::StatusOr<std::vector<uint8_t>> back = ConvertBits(*five, 5, 8, /*pad=*/false);
  REQUIRE(back.ok());
  CHECK(*back == bytes);
  // One byte is two 5-bit groups with 2 bits of padding; the last group's low bits set.
  CHECK_FALSE(ConvertBits({0x1f, 0x1f}, 5, 8, /*pad=*/false).ok());
  // Three groups carry 15 bits: one byte and 7 padding bits, more than 4.
  CHECK_FALSE(ConvertBits({0, 0, 0}, 5, 8, /*pad=*/false).ok());
  CHECK_FALSE(ConvertBits({32}, 5, 8, /*pad=*/false).ok());
}

}  // namespace
}  // namespace bitcontent::bitcoin
