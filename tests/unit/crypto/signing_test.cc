#include "libs/crypto/signing.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"
#include "tests/unit/crypto/expect_abort.h"
#include "tests/unit/crypto/test_bytes.h"

namespace bitcontent::crypto {
namespace {

using testing::RequireAbortMentioning;
using testing::Unhex;

struct Rfc8032Vector {
  const char* name = "";
  const char* seed = "";  // The RFC's "SECRET KEY".
  const char* public_key = "";
  const char* message = "";
  const char* signature = "";
};

// RFC 8032 section 7.1, Ed25519 TEST 1, TEST 2 and TEST 3.
const Rfc8032Vector kRfc8032[] = {
    {.name = "TEST 1",
     .seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     .public_key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
     .message = "",
     .signature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {.name = "TEST 2",
     .seed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     .public_key = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
     .message = "72",
     .signature = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {.name = "TEST 3",
     .seed = "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     .public_key = "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
     .message = "af82",
     .signature = "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                  "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

TEST_CASE("crypto signing: Ed25519 matches RFC 8032 section 7.1 tests 1 to 3") {
  for (const Rfc8032Vector& vector : kRfc8032) {
    INFO(vector.name);
    const SigningKeyPair key_pair = SigningKeyPairFromSeed(Unhex(vector.seed));
    CHECK(HexEncode(key_pair.public_key) == vector.public_key);
    CHECK(key_pair.secret_key.size() == kSigningSecretKeyBytes);
    const std::string message = Unhex(vector.message);
    CHECK(HexEncode(Sign(key_pair.secret_key, message)) == vector.signature);
    CHECK(VerifySignature(Unhex(vector.public_key), message, Unhex(vector.signature)));
  }
}

TEST_CASE("crypto signing: a signature verifies only its own message and key") {
  const SigningKeyPair key_pair = NewSigningKeyPair();
  const std::string signature = Sign(key_pair.secret_key, "pay 100 msat");
  CHECK(signature.size() == kSignatureBytes);
  CHECK(VerifySignature(key_pair.public_key, "pay 100 msat", signature));
  CHECK_FALSE(VerifySignature(key_pair.public_key, "pay 900 msat", signature));
  CHECK_FALSE(VerifySignature(NewSigningKeyPair().public_key, "pay 100 msat", signature));
  for (size_t i = 0; i < signature.size(); ++i) {
    std::string altered = signature;
    altered[i] ^= 0x01;
    INFO("flipped byte " << i);
    CHECK_FALSE(VerifySignature(key_pair.public_key, "pay 100 msat", altered));
  }
}

TEST_CASE("crypto signing: untrusted keys and signatures of any size give false") {
  const SigningKeyPair key_pair = NewSigningKeyPair();
  const std::string signature = Sign(key_pair.secret_key, "m");
  CHECK_FALSE(VerifySignature(key_pair.public_key, "m", signature.substr(0, 63)));
  CHECK_FALSE(VerifySignature(key_pair.public_key, "m", signature + "x"));
  CHECK_FALSE(VerifySignature(key_pair.public_key, "m", ""));
  CHECK_FALSE(VerifySignature(key_pair.public_key.substr(1), "m", signature));
  CHECK_FALSE(VerifySignature("", "m", signature));
  CHECK_FALSE(VerifySignature(std::string(32, '\0'), "m", std::string(64, '\0')));
  CHECK_FALSE(VerifySignature(std::string(32, '\xff'), "m", std::string(64, '\xff')));
}

TEST_CASE("crypto signing: keys of the wrong size from the program abort") {
  RequireAbortMentioning([] { SigningKeyPairFromSeed("short"); },
                         "SigningKeyPairFromSeed: seed must be 32 bytes, got 5");
  RequireAbortMentioning([] { Sign(std::string(32, 's'), "m"); },
                         "Sign: secret key must be 64 bytes, got 32");
}

}  // namespace
}  // namespace bitcontent::crypto
