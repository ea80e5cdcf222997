#include "libs/bitcoin/extended_key.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/bitcoin/base58.h"
#include "tests/unit/crypto/test_bytes.h"

namespace bitcontent::bitcoin {
namespace {

using crypto::testing::Unhex;

// BIP32 test vector 1 (seed 000102030405060708090a0b0c0d0e0f), extended public keys.
constexpr const char* kVector1Master =
    "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7"
    "usUDFdp6W1EGMcet8";
constexpr const char* kVector1_0H =
    "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5sk"
    "i8PX9rL2dZXvgGDnw";
constexpr const char* kVector1_0H_1 =
    "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2Ax"
    "YysAA7xmALppuCkwQ";
constexpr const char* kVector1_0H_1_2H =
    "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkr"
    "X7x7DogT5Uv6fcLW5";
constexpr const char* kVector1_0H_1_2H_2 =
    "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe"
    "5JnJ7dh8zL4fiyLHV";
constexpr const char* kVector1_0H_1_2H_2_1000000000 =
    "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYB"
    "VPamhGW6cFJodrTHy";
constexpr const char* kVector1MasterPrivate =
    "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtR"
    "BeJgk33yuGBxrMPHi";

// BIP32 test vector 2 (seed fffcf9f6...4542), extended public keys.
constexpr const char* kVector2Master =
    "xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY4"
    "7LJhkJ8UB7WEGuduB";
constexpr const char* kVector2_0 =
    "xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6"
    "r1D3tgFxHmwMkQTPH";
constexpr const char* kVector2_0_2147483647H =
    "xpub6ASAVgeehLbnwdqV6UKMHVzgqAG8Gr6riv3Fxxpj8ksbH9ebxaEyBLZ85ySDhKiLDBrQSARLq1uNRts8RuJiHjaDMB"
    "U4Zn9h8LZNnBC5y4a";
constexpr const char* kVector2_0_2147483647H_1 =
    "xpub6DF8uhdarytz3FWdA8TvFSvvAh8dP3283MY7p2V4SeE2wyWmG5mg5EwVvmdMVCQcoNJxGoWaU9DCWh89LojfZ537wT"
    "funKau47EL2dhHKon";
constexpr const char* kVector2_0_2147483647H_1_2147483646H =
    "xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDM"
    "zQLcgJvLJuZZvRcEL";
constexpr const char* kVector2_0_2147483647H_1_2147483646H_2 =
    "xpub6FnCn6nSzZAw5Tw7cgR9bi15UV96gLZhjDstkXXxvCLsUXBGXPdSnLFbdpq8p9HmGsApME5hQTZ3emM2rnY5agb9rX"
    "pVGyy3bdW6EEgAtqt";

ExtendedPublicKey Parse(const char* text) {
  absl::StatusOr<ExtendedPublicKey> key = ParseExtendedPublicKey(text);
  INFO(text);
  REQUIRE(key.ok());
  return *key;
}

// Derives `index` below `parent` and compares the serialised child with `expected`.
void CheckChild(const char* parent, uint32_t index, const char* expected) {
  INFO(parent << " / " << index);
  absl::StatusOr<ExtendedPublicKey> child = DerivePublicChild(Parse(parent), index);
  REQUIRE(child.ok());
  CHECK(SerializeExtendedPublicKey(*child) == expected);
}

// The 78 bytes `text` serialises, to build malformed keys from.
std::string Bytes(const char* text) { return *Base58CheckDecode(text); }

std::string ParseError(const std::string& bytes) {
  absl::StatusOr<ExtendedPublicKey> key = ParseExtendedPublicKey(Base58CheckEncode(bytes));
  REQUIRE_FALSE(key.ok());
  CHECK(key.status().code() == absl::StatusCode::kInvalidArgument);
  return std::string(key.status().message());
}

TEST_CASE("bitcoin extended key: BIP32 vector 1 and 2 public keys parse and serialise back") {
  for (const char* text :
       {kVector1Master, kVector1_0H, kVector1_0H_1, kVector1_0H_1_2H, kVector1_0H_1_2H_2,
        kVector1_0H_1_2H_2_1000000000, kVector2Master, kVector2_0, kVector2_0_2147483647H,
        kVector2_0_2147483647H_1, kVector2_0_2147483647H_1_2147483646H,
        kVector2_0_2147483647H_1_2147483646H_2}) {
    CHECK(SerializeExtendedPublicKey(Parse(text)) == text);
  }
  const ExtendedPublicKey child = Parse(kVector1_0H);
  CHECK(child.depth == 1);
  CHECK(child.child_number == kHardenedIndex);
  CHECK(child.parent_fingerprint == 0x3442193e);
  CHECK(KeyFingerprint(Parse(kVector1Master).public_key) == 0x3442193e);
}

TEST_CASE("bitcoin extended key: BIP32 vector 1 non-hardened steps derive from the xpub") {
  CheckChild(kVector1_0H, 1, kVector1_0H_1);
  CheckChild(kVector1_0H_1_2H, 2, kVector1_0H_1_2H_2);
  CheckChild(kVector1_0H_1_2H_2, 1000000000, kVector1_0H_1_2H_2_1000000000);
}

TEST_CASE("bitcoin extended key: BIP32 vector 2 non-hardened steps derive from the xpub") {
  CheckChild(kVector2Master, 0, kVector2_0);
  CheckChild(kVector2_0_2147483647H, 1, kVector2_0_2147483647H_1);
  CheckChild(kVector2_0_2147483647H_1_2147483646H, 2, kVector2_0_2147483647H_1_2147483646H_2);
}

TEST_CASE("bitcoin extended key: hardened children are refused as watch-only") {
  for (uint32_t index : {kHardenedIndex, kHardenedIndex + 2147483647u}) {
    absl::StatusOr<ExtendedPublicKey> child = DerivePublicChild(Parse(kVector1Master), index);
    REQUIRE_FALSE(child.ok());
    CHECK_THAT(std::string(child.status().message()), Catch::Contains("hardened"));
  }
}

TEST_CASE("bitcoin extended key: private keys of every network are refused with advice") {
  const std::string xprv = Bytes(kVector1MasterPrivate);
  struct Private {
    const char* name;
    const char* version_hex;
  };
  for (const Private& kind : {Private{"xprv", "0488ade4"}, Private{"tprv", "04358394"},
                              Private{"zprv", "04b2430c"}, Private{"vprv", "045f18bc"}}) {
    INFO(kind.name);
    const std::string message = ParseError(Unhex(kind.version_hex) + xprv.substr(4));
    CHECK_THAT(message, Catch::Contains(kind.name));
    CHECK_THAT(message, Catch::Contains("private key"));
    CHECK_THAT(message, Catch::Contains("extended public key"));
  }
  CHECK_THAT(std::string(ParseExtendedPublicKey(kVector1MasterPrivate).status().message()),
             Catch::Contains("watch-only"));
}

TEST_CASE("bitcoin extended key: malformed keys are refused with the reason") {
  const std::string good = Bytes(kVector1_0H);
  CHECK_THAT(ParseError(good.substr(0, 77)), Catch::Contains("78 bytes"));
  CHECK_THAT(ParseError(good + "x"), Catch::Contains("78 bytes"));
  CHECK_THAT(ParseError(Unhex("01020304") + good.substr(4)), Catch::Contains("version bytes"));
  // A master key (depth 0) that names a parent.
  std::string orphan = good;
  orphan[4] = '\0';
  CHECK_THAT(ParseError(orphan), Catch::Contains("depth 0"));
  // Private key material (0x00 prefix) under public version bytes.
  std::string hidden_private = good;
  hidden_private[45] = '\0';
  CHECK_THAT(ParseError(hidden_private), Catch::Contains("private key material"));
  std::string uncompressed = good;
  uncompressed[45] = '\x04';
  CHECK_THAT(ParseError(uncompressed), Catch::Contains("0x02 or 0x03"));
  // An x coordinate above the field size is not on the curve.
  const std::string off_curve = good.substr(0, 45) + "\x02" + std::string(32, '\xff');
  CHECK_THAT(ParseError(off_curve), Catch::Contains("not a point on secp256k1"));
  // A typo breaks the checksum.
  std::string typo = kVector1_0H;
  typo[20] = typo[20] == 'a' ? 'b' : 'a';
  CHECK_THAT(std::string(ParseExtendedPublicKey(typo).status().message()),
             Catch::Contains("checksum"));
  CHECK_FALSE(ParseExtendedPublicKey("").ok());
  CHECK_FALSE(ParseExtendedPublicKey("not a key").ok());
}

}  // namespace
}  // namespace bitcontent::bitcoin
