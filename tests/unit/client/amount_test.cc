// Amounts as members type them (wallet pay, price set --msat, buy --max-price): whole
// msat or sat, never a decimal, a sign or an overflow; and how they are shown.
#include "libs/client/amount.h"

#include <catch2/catch.hpp>

namespace bitcontent::client {
namespace {

TEST_CASE("amounts are whole msat, or sat with a suffix", "[client][amount]") {
  CHECK(*ParseAmount("1500") == 1500);
  CHECK(*ParseAmount("1500msat") == 1500);
  CHECK(*ParseAmount("2sat") == 2000);
  CHECK(*ParseAmount("0") == 0);
  CHECK(*ParseAmount("18446744073709551615") == UINT64_MAX);
  CHECK(*ParseAmount("18446744073709551sat") == 18446744073709551000u);
}

TEST_CASE("amounts that are not whole msat or sat are refused, saying what is accepted",
          "[client][amount]") {
  for (const char* bad : {"", "sat", "1.5sat", "-1", "+5", " 5", "5 sat", "5btc", "1e3",
                          "18446744073709551616", "18446744073709552sat"}) {
    INFO(bad);
    const absl::StatusOr<uint64_t> parsed = ParseAmount(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(parsed.status().message()), Catch::Contains("\"2sat\""));
  }
}

TEST_CASE("amounts are shown in msat with the sat next to them", "[client][amount]") {
  CHECK(FormatAmount(0) == "0 msat (0.000 sat)");
  CHECK(FormatAmount(1500) == "1,500 msat (1.500 sat)");
  CHECK(FormatAmount(12345000) == "12,345,000 msat (12345.000 sat)");
}

}  // namespace
}  // namespace bitcontent::client
