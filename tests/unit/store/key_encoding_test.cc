#include "libs/store/key_encoding.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace bitcontent::store {
namespace {

TEST_CASE("store key_encoding: EncodeUint64 writes 8 big-endian bytes and decodes back",
          "[store][key_encoding]") {
  const std::string encoded = EncodeUint64(0x0102030405060708);
  REQUIRE(encoded == std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  for (uint64_t value : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256},
                         std::numeric_limits<uint64_t>::max()}) {
    REQUIRE(DecodeUint64(EncodeUint64(value)) == value);
  }
  REQUIRE_FALSE(DecodeUint64("1234567").has_value());
}

TEST_CASE("store key_encoding: EncodeUint32 writes 4 big-endian bytes and decodes back",
          "[store][key_encoding]") {
  REQUIRE(EncodeUint32(0x0a0b0c0d) == std::string("\x0a\x0b\x0c\x0d", 4));
  for (uint32_t value :
       {uint32_t{0}, uint32_t{1}, uint32_t{65536}, std::numeric_limits<uint32_t>::max()}) {
    REQUIRE(DecodeUint32(EncodeUint32(value)) == value);
  }
  REQUIRE_FALSE(DecodeUint32("abc").has_value());
}

TEST_CASE("store key_encoding: Encoded integers sort in numeric order", "[store][key_encoding]") {
  const std::vector<uint64_t> numbers = {
      0, 1, 2, 9, 10, 255, 256, 65535, 65536, 1u << 31, 1ull << 32, 1ull << 63, ~0ull - 1, ~0ull};
  std::vector<std::string> keys;
  std::vector<std::string> small_keys;
  for (uint64_t number : numbers) {
    keys.push_back("acct/" + EncodeUint64(number));
    if (number <= std::numeric_limits<uint32_t>::max()) {
      small_keys.push_back(EncodeUint32(static_cast<uint32_t>(number)));
    }
  }
  std::vector<std::string> shuffled = keys;
  std::reverse(shuffled.begin(), shuffled.end());
  std::sort(shuffled.begin(), shuffled.end());  // Byte order, as RocksDB compares.
  REQUIRE(shuffled == keys);
  REQUIRE(std::is_sorted(small_keys.begin(), small_keys.end()));
}

TEST_CASE("store key_encoding: AppendUint64 extends a key prefix", "[store][key_encoding]") {
  std::string key = "tx/";
  AppendUint64(&key, 7);
  AppendUint32(&key, 9);
  REQUIRE(key.size() == 3 + kUint64Size + kUint32Size);
  REQUIRE(DecodeUint64(std::string_view(key).substr(3)) == 7u);
  REQUIRE(DecodeUint32(std::string_view(key).substr(3 + kUint64Size)) == 9u);
}

TEST_CASE("store key_encoding: PrefixUpperBound skips trailing 0xff bytes",
          "[store][key_encoding]") {
  REQUIRE(PrefixUpperBound("ab") == "ac");
  REQUIRE(PrefixUpperBound(std::string("\x00", 1)) == std::string("\x01", 1));
  REQUIRE(PrefixUpperBound("a\xff") == "b");
  REQUIRE(PrefixUpperBound("a\xff\xff") == "b");
  REQUIRE(PrefixUpperBound("a\xfe\xff") == "a\xff");
  REQUIRE_FALSE(PrefixUpperBound("\xff\xff").has_value());
  REQUIRE_FALSE(PrefixUpperBound("").has_value());
}

}  // namespace
}  // namespace bitcontent::store
