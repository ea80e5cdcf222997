#include "libs/bitcoin/deposit_address.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/bitcoin/base58.h"
#include "tests/unit/crypto/test_bytes.h"

namespace bitcontent::bitcoin {
namespace {

using crypto::testing::Unhex;

// BIP84 test vectors: the account m/84'/0'/0' of the mnemonic
// "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon
// abandon about".
constexpr const char* kBip84AccountZpub =
    "zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGD"
    "tKsAYz2oz2AGutZYs";
constexpr const char* kBip84AccountZprv =
    "zprvAdG4iTXWBoARxkkzNpNh8r6Qag3irQB8PzEMkAFeTRXxHpbF9z4QgEvBRmfvqWvGp42t42nvgGpNgYSJA9iefm1yYN"
    "ZKEm7z6qUWCroSQnE";
constexpr const char* kBip84FirstReceive = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu";
constexpr const char* kBip84SecondReceive = "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g";
constexpr const char* kBip84FirstChange = "bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el";

// The BIP84 account re-serialised under other version bytes (xpub, tpub, vpub).
std::string Reversioned(const char* version_hex) {
  return Base58CheckEncode(Unhex(version_hex) + Base58CheckDecode(kBip84AccountZpub)->substr(4));
}

AccountKey Account(const std::string& text, Network network) {
  absl::StatusOr<AccountKey> account = ParseAccountXpub(text, network);
  INFO(text);
  REQUIRE(account.ok());
  return *account;
}

std::string Address(absl::StatusOr<std::string> address) {
  REQUIRE(address.ok());
  return *address;
}

std::string Reason(absl::string_view address, Network network) {
  absl::Status status = ValidatePayoutAddress(address, network);
  INFO(std::string(address));
  REQUIRE_FALSE(status.ok());
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  return std::string(status.message());
}

TEST_CASE("bitcoin deposit: BIP84 vectors derive from the account zpub") {
  const AccountKey account = Account(kBip84AccountZpub, Network::kMainnet);
  CHECK(Address(ReceiveAddress(account, 0)) == kBip84FirstReceive);
  CHECK(Address(ReceiveAddress(account, 1)) == kBip84SecondReceive);
  CHECK(Address(ChangeAddress(account, 0)) == kBip84FirstChange);
}

TEST_CASE("bitcoin deposit: the same account given as an xpub derives the same addresses") {
  const AccountKey account = Account("  " + Reversioned("0488b21e") + "\n", Network::kMainnet);
  CHECK(Address(ReceiveAddress(account, 0)) == kBip84FirstReceive);
  CHECK(Address(ChangeAddress(account, 0)) == kBip84FirstChange);
}

TEST_CASE("bitcoin deposit: vpub and tpub give tb1 addresses on testnet and bcrt1 on regtest") {
  for (const char* version : {"045f1cf6", "043587cf"}) {
    const AccountKey testnet = Account(Reversioned(version), Network::kTestnet);
    const std::string address = Address(ReceiveAddress(testnet, 0));
    CHECK(address.substr(0, 4) == "tb1q");
    CHECK(ValidatePayoutAddress(address, Network::kTestnet).ok());
    const AccountKey regtest = Account(Reversioned(version), Network::kRegtest);
    const std::string local = Address(ReceiveAddress(regtest, 0));
    CHECK(local.substr(0, 6) == "bcrt1q");
    CHECK(ValidatePayoutAddress(local, Network::kRegtest).ok());
    // Same program as the mainnet vector, only the human-readable part differs: the
    // checksum differs too, so compare the data part without it.
    CHECK(address.substr(3, 33) == std::string(kBip84FirstReceive).substr(3, 33));
  }
}

TEST_CASE("bitcoin deposit: a key of another network is refused") {
  absl::StatusOr<AccountKey> testnet = ParseAccountXpub(kBip84AccountZpub, Network::kTestnet);
  REQUIRE_FALSE(testnet.ok());
  CHECK_THAT(std::string(testnet.status().message()), Catch::Contains("mainnet key"));
  CHECK_THAT(std::string(testnet.status().message()), Catch::Contains("vpub or tpub"));
  absl::StatusOr<AccountKey> mainnet = ParseAccountXpub(Reversioned("045f1cf6"), Network::kMainnet);
  REQUIRE_FALSE(mainnet.ok());
  CHECK_THAT(std::string(mainnet.status().message()), Catch::Contains("zpub or xpub"));
}

TEST_CASE("bitcoin deposit: the account zprv is refused and called exposed") {
  absl::StatusOr<AccountKey> account = ParseAccountXpub(kBip84AccountZprv, Network::kMainnet);
  REQUIRE_FALSE(account.ok());
  const std::string message(account.status().message());
  CHECK_THAT(message, Catch::Contains("zprv"));
  CHECK_THAT(message, Catch::Contains("never hold a private key"));
  CHECK_THAT(message, Catch::Contains("exposed"));
}

TEST_CASE("bitcoin deposit: keys that are not at the account level are refused") {
  // BIP32 vector 1 master key: depth 0.
  absl::StatusOr<AccountKey> master = ParseAccountXpub(
      "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TM"
      "g7usUDFdp6W1EGMcet8",
      Network::kMainnet);
  REQUIRE_FALSE(master.ok());
  CHECK_THAT(std::string(master.status().message()), Catch::Contains("depth 0"));
  // BIP32 vector 1 m/0'/1/2': depth 3 and hardened, accepted like an account.
  CHECK(ParseAccountXpub("xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFG"
                         "TsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5",
                         Network::kMainnet)
            .ok());
}

TEST_CASE("bitcoin deposit: address indexes at or above 2^31 are refused") {
  const AccountKey account = Account(kBip84AccountZpub, Network::kMainnet);
  CHECK_FALSE(ReceiveAddress(account, kHardenedIndex).ok());
  CHECK_FALSE(ChangeAddress(account, 0xffffffff).ok());
  CHECK(ReceiveAddress(account, kHardenedIndex - 1).ok());
}

TEST_CASE("bitcoin payout: usable addresses of each kind are accepted") {
  for (const char* address : {kBip84FirstReceive, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
                              "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
                              "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"}) {
    INFO(address);
    CHECK(ValidatePayoutAddress(address, Network::kMainnet).ok());
  }
  const std::string p2sh = Base58CheckEncode(Unhex("05") + std::string(20, '\x11'));
  CHECK(ValidatePayoutAddress(p2sh, Network::kMainnet).ok());
  for (const char* address : {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
                              "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c"}) {
    INFO(address);
    CHECK(ValidatePayoutAddress(address, Network::kTestnet).ok());
  }
  const std::string testnet_p2pkh = Base58CheckEncode(Unhex("6f") + std::string(20, '\x22'));
  CHECK(ValidatePayoutAddress(testnet_p2pkh, Network::kTestnet).ok());
  CHECK(ValidatePayoutAddress(testnet_p2pkh, Network::kRegtest).ok());
}

TEST_CASE("bitcoin payout: addresses of another network are refused by name") {
  CHECK_THAT(
      Reason("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", Network::kMainnet),
      Catch::Contains("testnet address"));
  CHECK_THAT(Reason(kBip84FirstReceive, Network::kTestnet), Catch::Contains("mainnet address"));
  CHECK_THAT(Reason(kBip84FirstReceive, Network::kRegtest), Catch::Contains("runs on regtest"));
  CHECK_THAT(Reason("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", Network::kTestnet),
             Catch::Contains("mainnet address"));
  const std::string testnet_p2pkh = Base58CheckEncode(Unhex("6f") + std::string(20, '\x22'));
  CHECK_THAT(Reason(testnet_p2pkh, Network::kMainnet), Catch::Contains("testnet or regtest"));
}

TEST_CASE("bitcoin payout: bad checksums and unsupported witness versions are explained") {
  CHECK_THAT(Reason("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", Network::kMainnet),
             Catch::Contains("checksum"));
  CHECK_THAT(Reason("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", Network::kMainnet),
             Catch::Contains("checksum"));
  // A typo that puts another '1' (or a '0') in a segwit address is still a bad checksum
  // of one, not a base58 complaint.
  CHECK_THAT(Reason("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt081", Network::kRegtest),
             Catch::Contains("checksum") && !Catch::Contains("base58"));
  CHECK_THAT(Reason("BC1SW50QGDZ25J", Network::kMainnet), Catch::Contains("witness version 16"));
  CHECK_THAT(Reason("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", Network::kMainnet),
             Catch::Contains("witness version 2"));
  CHECK_THAT(Reason("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
                    Network::kMainnet),
             Catch::Contains("not a kind of output in use"));
  CHECK_THAT(
      Reason("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", Network::kMainnet),
      Catch::Contains("bech32m checksum"));
}

TEST_CASE("bitcoin payout: empty whitespace and garbage input is refused") {
  CHECK_THAT(Reason("", Network::kMainnet), Catch::Contains("empty"));
  CHECK_THAT(Reason(" bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", Network::kMainnet),
             Catch::Contains("whitespace"));
  CHECK_THAT(Reason("hello world", Network::kMainnet), Catch::Contains("whitespace"));
  CHECK_THAT(Reason("hello", Network::kMainnet), Catch::Contains("neither a segwit address"));
  CHECK_THAT(Reason(std::string(200, 'b'), Network::kMainnet), Catch::Contains("characters"));
  const std::string short_payload = Base58CheckEncode(Unhex("00") + std::string(19, '\x01'));
  CHECK_THAT(Reason(short_payload, Network::kMainnet), Catch::Contains("21"));
  const std::string odd_version = Base58CheckEncode(Unhex("30") + std::string(20, '\x01'));
  CHECK_THAT(Reason(odd_version, Network::kMainnet), Catch::Contains("version byte 0x30"));
}

}  // namespace
}  // namespace bitcontent::bitcoin
