#include "libs/crypto/encoding.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "libs/crypto/random.h"

namespace bitcontent::crypto {
namespace {

// RFC 4648 section 10 test vectors, as base64url without padding (the padded forms are
// the RFC's text verbatim and are accepted too).
const std::vector<std::pair<std::string, std::string>> kRfc4648Base64 = {
    {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
    {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
};
const std::vector<std::string> kRfc4648Base64Padded = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                                       "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};

TEST_CASE("crypto encoding: base64url matches the RFC 4648 test vectors") {
  for (size_t i = 0; i < kRfc4648Base64.size(); ++i) {
    const auto& [bytes, text] = kRfc4648Base64[i];
    CHECK(Base64UrlEncode(bytes) == text);
    absl::StatusOr<std::string> unpadded = Base64UrlDecode(text);
    REQUIRE(unpadded.ok());
    CHECK(*unpadded == bytes);
    absl::StatusOr<std::string> padded = Base64UrlDecode(kRfc4648Base64Padded[i]);
    REQUIRE(padded.ok());
    CHECK(*padded == bytes);
  }
}

TEST_CASE("crypto encoding: base64url uses - and _ where base64 uses + and /") {
  // Standard base64 of fb ff bf is "+/+/"; base64url must not emit '+' or '/'.
  const std::string bytes("\xfb\xff\xbf", 3);
  CHECK(Base64UrlEncode(bytes) == "-_-_");
  absl::StatusOr<std::string> decoded = Base64UrlDecode("-_-_");
  REQUIRE(decoded.ok());
  CHECK(*decoded == bytes);
  CHECK(absl::IsInvalidArgument(Base64UrlDecode("+/+/").status()));
}

TEST_CASE("crypto encoding: base64url round-trips every length of random bytes") {
  for (size_t size = 0; size < 70; ++size) {
    const std::string bytes = RandomBytes(size);
    const std::string text = Base64UrlEncode(bytes);
    CHECK(text.find('=') == std::string::npos);
    absl::StatusOr<std::string> decoded = Base64UrlDecode(text);
    REQUIRE(decoded.ok());
    CHECK(*decoded == bytes);
  }
}

TEST_CASE("crypto encoding: malformed base64url is refused with InvalidArgument") {
  for (const char* bad : {"Z",         // 6 bits cannot make a byte
                          "Zh",        // "f" is "Zg": non-zero unused bits
                          "Zg=",       // padding that is neither absent nor complete
                          "Zg===",     // too much padding
                          "Zm9v Yg",   // whitespace
                          "Zm9v\nYg",  // newline
                          "Zm9v!g",    // outside the alphabet
                          "=Zg", "Zg==Zg=="}) {
    INFO("input: " << bad);
    absl::StatusOr<std::string> decoded = Base64UrlDecode(bad);
    CHECK(absl::IsInvalidArgument(decoded.status()));
  }
  CHECK(absl::IsInvalidArgument(Base64UrlDecode(std::string("Zm\0v", 4)).status()));
}

TEST_CASE("crypto encoding: hex matches the RFC 4648 base16 example and round-trips") {
  CHECK(HexEncode("foobar") == "666f6f626172");
  CHECK(HexEncode("") == "");
  CHECK(HexEncode(std::string("\x00\xff\x10", 3)) == "00ff10");
  for (const char* text : {"666f6f626172", "666F6F626172"}) {
    absl::StatusOr<std::string> decoded = HexDecode(text);
    REQUIRE(decoded.ok());
    CHECK(*decoded == "foobar");
  }
  const std::string bytes = RandomBytes(57);
  absl::StatusOr<std::string> decoded = HexDecode(HexEncode(bytes));
  REQUIRE(decoded.ok());
  CHECK(*decoded == bytes);
}

TEST_CASE("crypto encoding: malformed hex is refused with InvalidArgument") {
  absl::StatusOr<std::string> odd = HexDecode("abc");
  CHECK(absl::IsInvalidArgument(odd.status()));
  CHECK(odd.status().message().find("odd") != absl::string_view::npos);
  for (const char* bad : {"zz", "0g", " 00", "00 ", "0x00", "-1"}) {
    INFO("input: " << bad);
    CHECK(absl::IsInvalidArgument(HexDecode(bad).status()));
  }
}

}  // namespace
}  // namespace bitcontent::crypto
