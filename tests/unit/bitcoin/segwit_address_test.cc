#include "libs/bitcoin/segwit_address.h"

#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/ascii.h"
#include "libs/crypto/encoding.h"

namespace bitcontent::bitcoin {
namespace {

using crypto::HexEncode;

struct ValidAddress {
  const char* address;
  const char* script_hex;
};

// BIP350's valid segwit addresses (BIP173's v0 ones among them) and their scriptPubKeys.
constexpr ValidAddress kValid[] = {
    {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
     "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
    {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
     "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"BC1SW50QGDZ25J", "6002751e"},
    {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"},
    {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
     "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
    {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
     "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
    {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
     "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
};

// Invalid segwit addresses of BIP173 and BIP350. BIP173's valid v1+ addresses carry a
// bech32 checksum, which BIP350 makes invalid; they are listed here too.
const char* const kInvalid[] = {
    // BIP350
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
    "bc1pw5dgrnzv",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    "bc1gmk9yu",
    // BIP173
    "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
    "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",
    "bc1rw5uspcuh",
    "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",
    // BIP173 valid, BIP350 invalid (v1+ with a bech32 checksum)
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
    "BC1SW50QA3JX3S",
    "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
};

std::string HrpOf(absl::string_view address) { return absl::AsciiStrToLower(address.substr(0, 2)); }

TEST_CASE("bitcoin segwit: BIP350 valid addresses decode to their scriptPubKeys") {
  for (const ValidAddress& vector : kValid) {
    INFO(vector.address);
    absl::StatusOr<WitnessProgram> witness =
        DecodeSegwitAddress(HrpOf(vector.address), vector.address);
    REQUIRE(witness.ok());
    CHECK(HexEncode(WitnessScript(*witness)) == vector.script_hex);
    absl::StatusOr<std::string> encoded = EncodeSegwitAddress(HrpOf(vector.address), *witness);
    REQUIRE(encoded.ok());
    CHECK(*encoded == absl::AsciiStrToLower(vector.address));
  }
}

TEST_CASE("bitcoin segwit: BIP173 and BIP350 invalid addresses are refused on both networks") {
  for (const char* address : kInvalid) {
    INFO(address);
    CHECK_FALSE(DecodeSegwitAddress("bc", address).ok());
    CHECK_FALSE(DecodeSegwitAddress("tb", address).ok());
  }
}

TEST_CASE("bitcoin segwit: refusals say which rule was broken") {
  auto message = [](const char* hrp, const char* address) {
    return std::string(DecodeSegwitAddress(hrp, address).status().message());
  };
  CHECK_THAT(message("bc", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7"),
             Catch::Contains("start with 'bc1'"));
  CHECK_THAT(message("bc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd"),
             Catch::Contains("needs a bech32m checksum"));
  CHECK_THAT(message("bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh"),
             Catch::Contains("needs a bech32 checksum"));
  CHECK_THAT(message("bc", "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P"),
             Catch::Contains("20 (P2WPKH) or 32 (P2WSH)"));
  CHECK_THAT(message("bc", "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R"),
             Catch::Contains("witness version 17"));
  CHECK_THAT(message("bc", "bc1gmk9yu"), Catch::Contains("no witness version"));
}

TEST_CASE("bitcoin segwit: encoding refuses programs that break the length rules") {
  CHECK_FALSE(EncodeSegwitAddress("bc", WitnessProgram{0, std::string(21, 'x')}).ok());
  CHECK_FALSE(EncodeSegwitAddress("bc", WitnessProgram{1, std::string(1, 'x')}).ok());
  CHECK_FALSE(EncodeSegwitAddress("bc", WitnessProgram{1, std::string(41, 'x')}).ok());
  CHECK_FALSE(EncodeSegwitAddress("bc", WitnessProgram{17, std::string(32, 'x')}).ok());
}

}  // namespace
}  // namespace bitcontent::bitcoin
