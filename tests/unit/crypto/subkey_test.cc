#include "libs/crypto/subkey.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/crypto/encoding.h"
#include "tests/unit/crypto/expect_abort.h"
#include "tests/unit/crypto/test_bytes.h"

namespace bitcontent::crypto {
namespace {

using testing::RequireAbortMentioning;
using testing::Unhex;

// Root key 00 01 02 ... 1f. Expected subkeys computed with Python's hashlib, a second
// BLAKE2b implementation, from libsodium's documented crypto_kdf construction:
//   blake2b(b"", digest_size=size, key=root, salt=le64(id) + 8 zero bytes,
//           person=context + 8 zero bytes)
const std::string kRoot = Unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

TEST_CASE("crypto subkey: DeriveSubkey matches the crypto_kdf construction") {
  CHECK(HexEncode(DeriveSubkey(kRoot, 1, "bcauth01")) ==
        "0aaab7433ec419a9cfa2464a6920979fd1eeb40c85418f8147ef783f28400d04");
  CHECK(HexEncode(DeriveSubkey(kRoot, 2, "bckek001")) ==
        "085b1de398b147e68910b90fdd6cbb05cae3e2c86c27cb3970ccc85e3ba89053");
  CHECK(HexEncode(DeriveSubkey(kRoot, 42, "bcauth01", 64)) ==
        "5178c1506042c1e2ed44a5de2f3ba8d904b78b1377f978645aad2f4627eaa226"
        "630b73ebbbff0257cebd0c74ed47a8641635e178e9a2169c8e06f290770c8d06");
}

TEST_CASE("crypto subkey: ids and contexts give independent keys") {
  const std::string auth = DeriveSubkey(kRoot, 1, "bcauth01");
  CHECK(auth == DeriveSubkey(kRoot, 1, "bcauth01"));
  CHECK(auth != DeriveSubkey(kRoot, 2, "bcauth01"));
  CHECK(auth != DeriveSubkey(kRoot, 1, "bckek001"));
  CHECK(HexEncode(DeriveSubkey(kRoot, 1, "bckek001")) ==
        "463e61af705810145b39b5c3c7f7a5edbc649fafb0b4dbd777fcca6c3c18d1b1");
  CHECK(DeriveSubkey(kRoot, 1, "bcauth01", 16).size() == 16);
}

TEST_CASE("crypto subkey: a wrong key size, context or subkey size aborts") {
  RequireAbortMentioning([] { DeriveSubkey(std::string(31, 'k'), 1, "bcauth01"); },
                         "DeriveSubkey: key must be 32 bytes, got 31");
  RequireAbortMentioning([] { DeriveSubkey(kRoot, 1, "auth"); },
                         "DeriveSubkey: context must be 8 bytes, got 4");
  RequireAbortMentioning([] { DeriveSubkey(kRoot, 1, "bcauth01", 65); }, "size must be in");
}

}  // namespace
}  // namespace bitcontent::crypto
