#include "libs/bitcoin/hash.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/crypto/encoding.h"
#include "tests/unit/crypto/test_bytes.h"

namespace bitcontent::bitcoin {
namespace {

using crypto::HexEncode;
using crypto::testing::Unhex;

// The test vectors of the RIPEMD-160 specification (Dobbertin, Bosselaers, Preneel,
// appendix B), also checked against Python's hashlib at test-writing time.
TEST_CASE("bitcoin hash: RIPEMD-160 matches the specification's test vectors") {
  CHECK(HexEncode(Ripemd160("")) == "9c1185a5c5e9fc54612808977ee8f548b2258d31");
  CHECK(HexEncode(Ripemd160("a")) == "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe");
  CHECK(HexEncode(Ripemd160("abc")) == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
  CHECK(HexEncode(Ripemd160("message digest")) == "5d0689ef49d2fae572b881b123a85ffa21595f36");
  CHECK(HexEncode(Ripemd160("abcdefghijklmnopqrstuvwxyz")) ==
        "f71c27109c692c1b56bbdceb5b9d2865b3708dbc");
  CHECK(HexEncode(Ripemd160("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "12a053384a9c0c88e405a06c27dcf49ada62eb2b");
  CHECK(HexEncode(Ripemd160("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")) ==
        "b0e20b6e3116640286ed3a87a5713079b21f5189");
  std::string digits;
  for (int i = 0; i < 8; ++i) digits += "1234567890";
  CHECK(HexEncode(Ripemd160(digits)) == "9b752e45573d4b39f4dbd3323cab82bf63326bfb");
  CHECK(HexEncode(Ripemd160(std::string(1000000, 'a'))) ==
        "52783243c1697bdbe16d37f97f68f08325dc1528");
}

TEST_CASE("bitcoin hash: RIPEMD-160 handles every length around the padding boundary") {
  // Lengths 55, 56, 64, 119 and 120 change how many padding blocks are needed; digests from
  // hashlib.
  CHECK(HexEncode(Ripemd160(std::string(55, 'a'))) == "0d8a8c9063a48576a7c97e9f95253a6e53ff6765");
  CHECK(HexEncode(Ripemd160(std::string(56, 'a'))) == "e72334b46c83cc70bef979e15453706c95b888be");
  CHECK(HexEncode(Ripemd160(std::string(64, 'a'))) == "9dfb7d374ad924f3f88de96291c33e9abed53e32");
  CHECK(HexEncode(Ripemd160(std::string(119, 'a'))) == "23e398ff2bac815aa1bbb57ca2a669c841872919");
  CHECK(HexEncode(Ripemd160(std::string(120, 'a'))) == "c476770a6dae31fcee8d25efe6559a05c8024595");
}

TEST_CASE("bitcoin hash: SHA-256 double SHA-256 and HASH160 of known inputs") {
  CHECK(HexEncode(Sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(HexEncode(DoubleSha256("")) ==
        "5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456");
  // HASH160 of the compressed generator point: the program of the well-known address
  // bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.
  CHECK(HexEncode(
            Hash160(Unhex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"))) ==
        "751e76e8199196d454941c45d1b3a323f1433bd6");
}

TEST_CASE("bitcoin hash: HMAC-SHA512 matches RFC 4231 test case 2") {
  CHECK(HexEncode(HmacSha512("Jefe", "what do ya want for nothing?")) ==
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f"
        "65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

}  // namespace
}  // namespace bitcontent::bitcoin
