// Bitcoin Core's amounts read as exact satoshi, never through a double.
#include "services/wallet/bitcoin_amount.h"

#include <catch2/catch.hpp>

namespace bitcontent::wallet {
namespace {

int64_t Sat(std::string_view text) {
  absl::StatusOr<int64_t> parsed = ParseBtcAmount(text);
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  return *parsed;
}

TEST_CASE("Amounts parse to exact satoshi") {
  CHECK(Sat("0.00000001") == 1);
  CHECK(Sat("20999999.9769") == 2'099'999'997'690'000);
  CHECK(Sat("20999999.97690000") == 2'099'999'997'690'000);
  CHECK(Sat("21000000") == kMoneySatoshiMax);
  CHECK(Sat("0.1") == 10'000'000);
  CHECK(Sat("1.23456789") == 123'456'789);
  CHECK(Sat("0") == 0);
  CHECK(Sat("-0.5") == -50'000'000);
  // 0.1 + 0.2 style drift would show here through a double.
  CHECK(Sat("0.30000000") == 30'000'000);
}

TEST_CASE("Amounts that are not exact satoshi are refused") {
  for (const char* text : {"", "-", ".5", "1.", "0.000000001", "1e-8", "1E2", "21000000.00000001",
                           "100000000", "1,5", " 1", "1 ", "0x10", "+1", "--1"}) {
    INFO(text);
    absl::StatusOr<int64_t> parsed = ParseBtcAmount(text);
    CHECK(absl::IsInvalidArgument(parsed.status()));
  }
}

}  // namespace
}  // namespace bitcontent::wallet
