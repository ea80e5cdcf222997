#include "libs/bitcoin/base58.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/crypto/encoding.h"
#include "tests/unit/crypto/test_bytes.h"

namespace bitcontent::bitcoin {
namespace {

using crypto::HexEncode;
using crypto::testing::Unhex;

struct Base58Vector {
  const char* hex;
  const char* text;
};

// Vectors in the style of Bitcoin Core's base58_encode_decode.json.
constexpr Base58Vector kVectors[] = {
    {"", ""},
    {"61", "2g"},
    {"626262", "a3gV"},
    {"636363", "aPEr"},
    {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
    {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
    {"00000000000000000000", "1111111111"},
};

TEST_CASE("bitcoin base58: encodes and decodes known vectors") {
  for (const Base58Vector& vector : kVectors) {
    INFO(vector.text);
    CHECK(Base58Encode(Unhex(vector.hex)) == vector.text);
    absl::StatusOr<std::string> decoded = Base58Decode(vector.text);
    REQUIRE(decoded.ok());
    CHECK(HexEncode(*decoded) == vector.hex);
  }
}

TEST_CASE("bitcoin base58: refuses characters outside the alphabet and overlong text") {
  for (const char* text : {"0", "O", "I", "l", "abc def", "3SEo3LWLoPntC+"}) {
    INFO(text);
    absl::StatusOr<std::string> decoded = Base58Decode(text);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(decoded.status().message()), Catch::Contains("base58 alphabet"));
  }
  CHECK_FALSE(Base58Decode(std::string(kBase58TextLengthMax + 1, '2')).ok());
}

TEST_CASE("bitcoin base58check: the genesis block address decodes to its key hash") {
  absl::StatusOr<std::string> payload = Base58CheckDecode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
  REQUIRE(payload.ok());
  CHECK(HexEncode(*payload) == "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18");
  CHECK(Base58CheckEncode(*payload) == "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
}

TEST_CASE("bitcoin base58check: round trips payloads with and without leading zeros") {
  for (const std::string& payload :
       {std::string(), std::string("\x00", 1), std::string("\x00\x00\x01\x02", 4),
        std::string(78, '\xff'), Unhex("0488b21e00000000000000000000")}) {
    absl::StatusOr<std::string> decoded = Base58CheckDecode(Base58CheckEncode(payload));
    REQUIRE(decoded.ok());
    CHECK(*decoded == payload);
  }
}

TEST_CASE("bitcoin base58check: a changed character fails the checksum") {
  std::string text = Base58CheckEncode("watch-only");
  text[3] = text[3] == '2' ? '3' : '2';
  absl::StatusOr<std::string> decoded = Base58CheckDecode(text);
  REQUIRE_FALSE(decoded.ok());
  CHECK_THAT(std::string(decoded.status().message()), Catch::Contains("checksum does not match"));
}

TEST_CASE("bitcoin base58check: text too short for a checksum is refused") {
  for (const char* text : {"", "1", "2g", "a3gV"}) {
    INFO(text);
    absl::StatusOr<std::string> decoded = Base58CheckDecode(text);
    REQUIRE_FALSE(decoded.ok());
    CHECK_THAT(std::string(decoded.status().message()), Catch::Contains("too short"));
  }
}

}  // namespace
}  // namespace bitcontent::bitcoin
