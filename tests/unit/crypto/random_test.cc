#include "libs/crypto/random.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

namespace bitcontent::crypto {
namespace {

TEST_CASE("crypto random: RandomBytes returns the size asked, different every time") {
  CHECK(RandomBytes(0).empty());
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string bytes = RandomBytes(32);
    REQUIRE(bytes.size() == 32);
    seen.insert(bytes);
  }
  CHECK(seen.size() == 100);
  // 32 random bytes are all zero with probability 2^-256: a zero buffer means no RNG.
  CHECK(RandomBytes(32) != std::string(32, '\0'));
}

TEST_CASE("crypto random: ConstantTimeEquals compares content, and sizes first") {
  CHECK(ConstantTimeEquals("", ""));
  CHECK(ConstantTimeEquals("secret", "secret"));
  CHECK_FALSE(ConstantTimeEquals("secret", "secreT"));
  CHECK_FALSE(ConstantTimeEquals("Secret", "secret"));
  CHECK_FALSE(ConstantTimeEquals("secret", "secret2"));
  CHECK_FALSE(ConstantTimeEquals("", "a"));
  CHECK(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  CHECK_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace bitcontent::crypto
