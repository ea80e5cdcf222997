// Amounts as members type them (wallet pay, price set --msat, buy --max-price): whole
// msat, or sat with up to three decimals, never a fraction of a msat, a sign or an
// overflow; and how they are shown.
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

TEST_CASE("sat take up to three decimals, as amounts are shown", "[client][amount]") {
  CHECK(*ParseAmount("1.5sat") == 1500);
  CHECK(*ParseAmount("0.001sat") == 1);
  CHECK(*ParseAmount("2.250sat") == 2250);
  CHECK(*ParseAmount("18446744073709551.615sat") == UINT64_MAX);
  for (const char* finer : {"0.0001sat", "1.2345sat"}) {
    INFO(finer);
    const absl::StatusOr<uint64_t> parsed = ParseAmount(finer);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(std::string(parsed.status().message()), Catch::Contains("finer than a msat"));
  }
}

TEST_CASE("amounts read back as they are shown, with thousands separators", "[client][amount]") {
  CHECK(*ParseAmount("1,500") == 1500);
  CHECK(*ParseAmount("20,000sat") == 20'000'000);
  CHECK(*ParseAmount("1,234,567.5sat") == 1'234'567'500);
  CHECK(*ParseAmount("100,000,000msat") == 100'000'000);
  for (const char* misplaced :
       {"1,50", ",500", "1,,000", "1500,", "1,5000sat", "1,000,00msat", "1000,000", "1.5,000sat"}) {
    INFO(misplaced);
    const absl::StatusOr<uint64_t> parsed = ParseAmount(misplaced);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(std::string(parsed.status().message()), Catch::Contains("\"2sat\""));
  }
}

TEST_CASE("amounts that are not whole msat or sat are refused, saying what is accepted",
          "[client][amount]") {
  for (const char* bad : {"", "sat", "1.5", "1.5msat", ".5sat", "1.sat", "1.-5sat", "1.5.0sat",
                          "-1", "+5", " 5", "5 sat", "5btc", "1e3"}) {
    INFO(bad);
    const absl::StatusOr<uint64_t> parsed = ParseAmount(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(parsed.status().message()), Catch::Contains("\"2sat\""));
  }
  // Whole numbers all the same, only too large: said so, with the most there can be.
  for (const char* huge :
       {"18446744073709551616", "18446744073709552sat", "18446744073709551.616sat"}) {
    INFO(huge);
    const absl::StatusOr<uint64_t> parsed = ParseAmount(huge);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == absl::StatusCode::kOutOfRange);
    CHECK_THAT(std::string(parsed.status().message()),
               Catch::Contains("more than any wallet can hold") &&
                   Catch::Contains("18,446,744,073,709,551,615 msat"));
  }
}

TEST_CASE("amounts are shown in msat with the sat next to them", "[client][amount]") {
  CHECK(FormatAmount(0) == "0 msat (0.000 sat)");
  CHECK(FormatAmount(1500) == "1,500 msat (1.500 sat)");
  CHECK(FormatAmount(12345000) == "12,345,000 msat (12,345.000 sat)");
  CHECK(FormatAmount(200000000000000) == "200,000,000,000,000 msat (200,000,000,000.000 sat)");
}

}  // namespace
}  // namespace bitcontent::client
