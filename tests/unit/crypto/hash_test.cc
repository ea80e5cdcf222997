#include "libs/crypto/hash.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/crypto/encoding.h"
#include "tests/unit/crypto/expect_abort.h"
#include "tests/unit/crypto/test_bytes.h"

namespace bitcontent::crypto {
namespace {

using testing::RequireAbortMentioning;
using testing::Unhex;

// BLAKE2b-256 of "" and "abc": the well-known digests, cross-checked at test-writing
// time with coreutils (`printf 'abc' | b2sum -l 256`) and Python's hashlib.blake2b.
constexpr absl::string_view kEmptyDigest =
    "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8";
constexpr absl::string_view kAbcDigest =
    "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319";

// 100,000 bytes of i % 251: hashlib.blake2b(data, digest_size=32).
std::string LongInput() {
  std::string data(100000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i % 251);
  return data;
}
constexpr absl::string_view kLongDigest =
    "916cfaa800ee55811e82095babeb88ea29c9ef8a36e8d7e20c7b772c344c9e1c";

TEST_CASE("crypto hash: BLAKE2b-256 of empty, abc and a long input match known digests") {
  CHECK(HexEncode(Blake2b256("")) == kEmptyDigest);
  CHECK(HexEncode(Blake2b256("abc")) == kAbcDigest);
  CHECK(HexEncode(Blake2b256(LongInput())) == kLongDigest);
}

TEST_CASE("crypto hash: keyed BLAKE2b-256 matches hashlib and depends on the key") {
  // Key 00 01 ... 1f; expected: hashlib.blake2b(data, key=key, digest_size=32).
  const std::string key = Unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  CHECK(HexEncode(Blake2b256Keyed(key, "abc")) ==
        "d63a32d3e44738d7907f964316c241adaba0abfeabc32349677578a15a203f7f");
  CHECK(HexEncode(Blake2b256Keyed(key, "")) ==
        "4e51e7a913fc80137da52880fecca175bf81e117d5c68126dc2774033517ea0d");
  std::string other_key = key;
  other_key[31] ^= 1;
  CHECK(Blake2b256Keyed(other_key, "abc") != Blake2b256Keyed(key, "abc"));
  CHECK(Blake2b256Keyed(key, "abc") != Blake2b256("abc"));
}

TEST_CASE("crypto hash: HMAC-SHA256 matches RFC 4231 test case 2 and depends on the key") {
  // RFC 4231 section 4.3 uses the 4-byte key "Jefe"; HMAC pads keys shorter than the
  // block with zeros, so the same key zero-padded to 32 bytes gives the same MAC.
  std::string key = "Jefe";
  key.resize(crypto::kHmacSha256KeyBytes, '\0');
  CHECK(crypto::HexEncode(crypto::HmacSha256(key, "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  std::string other = key;
  other[31] = 1;
  CHECK(crypto::HmacSha256(other, "what do ya want for nothing?") !=
        crypto::HmacSha256(key, "what do ya want for nothing?"));
}

TEST_CASE("crypto hash: the streaming hasher equals the one-shot digest however split") {
  const std::string data = LongInput();
  for (size_t piece : {size_t{1}, size_t{7}, size_t{128}, size_t{4096}, data.size()}) {
    Blake2b256Hasher hasher;
    for (size_t offset = 0; offset < data.size(); offset += piece) {
      hasher.Update(absl::string_view(data).substr(offset, piece));
    }
    INFO("piece size " << piece);
    CHECK(HexEncode(hasher.Finish()) == kLongDigest);
  }
  Blake2b256Hasher empty;
  CHECK(HexEncode(empty.Finish()) == kEmptyDigest);
}

TEST_CASE("crypto hash: misuse of keys and of the streaming hasher aborts") {
  RequireAbortMentioning([] { Blake2b256Keyed("short key", "x"); },
                         "Blake2b256Keyed: key must be 16 to 64 bytes, got 9");
  RequireAbortMentioning(
      [] {
        Blake2b256Hasher hasher;
        hasher.Finish();
        hasher.Update("late");
      },
      "Update called after Finish");
  RequireAbortMentioning(
      [] {
        Blake2b256Hasher hasher;
        hasher.Finish();
        hasher.Finish();
      },
      "Finish called twice");
}

}  // namespace
}  // namespace bitcontent::crypto
