// Revenue splits as creators type them (`price set --split`), and how a price is shown
// split: the parts always add up to the amount, by prices.proto's rounding rule.
#include "libs/client/split_spec.h"

#include <catch2/catch.hpp>
#include <numeric>

#include "absl/strings/str_cat.h"

namespace bitcontent::client {
namespace {

namespace pv1 = pricing::v1;

uint64_t Sum(const std::vector<pv1::SplitLine>& lines) {
  uint64_t sum = 0;
  for (const pv1::SplitLine& line : lines) sum += line.amount_msat();
  return sum;
}

TEST_CASE("a split spec gives each role its share in basis points", "[client][split]") {
  absl::StatusOr<pv1::SplitRule> rule = ParseSplitSpec("owner:70,publisher:20,uploader:10");
  REQUIRE(rule.ok());
  REQUIRE(rule->recipients_size() == 3);
  CHECK(rule->recipients(0).role() == pv1::RECIPIENT_ROLE_OWNER);
  CHECK(rule->recipients(0).basis_points() == 7000);
  CHECK(rule->recipients(0).user().empty());
  CHECK(rule->recipients(1).role() == pv1::RECIPIENT_ROLE_PUBLISHER);
  CHECK(rule->recipients(1).basis_points() == 2000);
  CHECK(rule->recipients(2).role() == pv1::RECIPIENT_ROLE_UPLOADER);
  CHECK(rule->recipients(2).basis_points() == 1000);
  CHECK(FormatSplit(*rule) == "owner 70%, publisher 20%, uploader 10%");

  // Decimals to the basis point; spaces; named members, in a role or not.
  rule = ParseSplitSpec(
      " owner:87.5 , publisher=users/01HXA0B1C2D3E4F5G6H7J8K9M0:12.49, "
      "users/01HXA0B1C2D3E4F5G6H7J8K9M1:0.01");
  INFO(rule.status().message());
  REQUIRE(rule.ok());
  CHECK(rule->recipients(0).basis_points() == 8750);
  CHECK(rule->recipients(1).role() == pv1::RECIPIENT_ROLE_PUBLISHER);
  CHECK(rule->recipients(1).user() == "users/01HXA0B1C2D3E4F5G6H7J8K9M0");
  CHECK(rule->recipients(1).basis_points() == 1249);
  CHECK(rule->recipients(2).role() == pv1::RECIPIENT_ROLE_OTHER);
  CHECK(rule->recipients(2).user() == "users/01HXA0B1C2D3E4F5G6H7J8K9M1");
  CHECK(rule->recipients(2).basis_points() == 1);
  CHECK(FormatSplit(*rule) ==
        "owner 87.5%, publisher users/01HXA0B1C2D3E4F5G6H7J8K9M0 12.49%, "
        "users/01HXA0B1C2D3E4F5G6H7J8K9M1 0.01%");
  CHECK(ParseSplitSpec("owner:100")->recipients(0).basis_points() == 10000);

  // Members by email, when there is a way to find them; refused when there is none.
  const FindMember directory = [](absl::string_view email) -> absl::StatusOr<std::string> {
    if (email == "carol@example.com") return std::string("users/01HXA0B1C2D3E4F5G6H7J8K9M0");
    return absl::NotFoundError(absl::StrCat("no member has the email ", email));
  };
  rule = ParseSplitSpec("owner:80,publisher=carol@example.com:20", directory);
  REQUIRE(rule.ok());
  CHECK(rule->recipients(1).user() == "users/01HXA0B1C2D3E4F5G6H7J8K9M0");
  rule = ParseSplitSpec("owner:80,dan@example.com:20", directory);
  CHECK(rule.status().code() == absl::StatusCode::kNotFound);
  CHECK_THAT(std::string(rule.status().message()),
             Catch::Contains("dan@example.com:20") && Catch::Contains("no member has the email"));
  CHECK_FALSE(ParseSplitSpec("owner:80,carol@example.com:20").ok());

  // A member's id in small letters is the same member, written as ids are given out.
  rule = ParseSplitSpec("owner:50,publisher=users/01hxa0b1c2d3e4f5g6h7j8k9m0:50");
  REQUIRE(rule.ok());
  CHECK(rule->recipients(1).user() == "users/01HXA0B1C2D3E4F5G6H7J8K9M0");
}

TEST_CASE("a wrong split spec says which part is wrong, or what the shares add up to",
          "[client][split]") {
  const auto message = [](absl::string_view spec) {
    absl::StatusOr<pv1::SplitRule> rule = ParseSplitSpec(spec);
    REQUIRE_FALSE(rule.ok());
    CHECK(rule.status().code() == absl::StatusCode::kInvalidArgument);
    return std::string(rule.status().message());
  };
  CHECK_THAT(message("owner:70,publisher:20"), Catch::Contains("add up to 90%, not 100%"));
  CHECK_THAT(message("owner:70,publisher:40"), Catch::Contains("add up to 110%"));
  CHECK_THAT(message("owner:70,seller:30"), Catch::Contains("\"seller:30\""));
  CHECK_THAT(message("owner"), Catch::Contains("ROLE:PERCENT"));
  CHECK_THAT(message("owner:0,publisher:100"), Catch::Contains("above 0"));
  CHECK_THAT(message("owner:12.345,publisher:87.655"), Catch::Contains("two decimals"));
  CHECK_THAT(message("owner:-5,publisher:105"), Catch::Contains("\"owner:-5\""));
  CHECK_THAT(message("owner:50,owner:50"), Catch::Contains("already in the split"));
  CHECK_THAT(message("owner:50,,publisher:50"), Catch::Contains("empty part"));
  CHECK_THAT(message("publisher=bob:50,owner:50"), Catch::Contains("users/ID"));
  CHECK_THAT(message("users/nobody:50,owner:50"), Catch::Contains("users/ID"));
  std::string many = "owner:83";
  for (int i = 0; i < 17; ++i) {
    many += absl::StrCat(",users/01HXA0B1C2D3E4F5G6H7J8K9", i < 10 ? "0" : "", i, ":1");
  }
  CHECK_THAT(message(many), Catch::Contains("at most 16"));
}

TEST_CASE("a price splits into parts that add up to it exactly, largest remainders first",
          "[client][split]") {
  pv1::SplitRule rule = *ParseSplitSpec("owner:70,publisher:20,uploader:10");
  rule.set_platform_fee_basis_points(500);  // 5%
  const std::vector<pv1::SplitLine> lines = PreviewSplit(1500, rule);
  REQUIRE(lines.size() == 4);
  // fee = floor(1500 * 5%) = 75; rest = 1425: 997.5, 285, 142.5 -> 997, 285, 142, and
  // the 1 msat left goes to the largest remainder (a tie of .5: list order, the owner).
  CHECK(lines[3].platform_fee());
  CHECK(lines[3].amount_msat() == 75);
  CHECK(lines[0].role() == pv1::RECIPIENT_ROLE_OWNER);
  CHECK(lines[0].amount_msat() == 998);
  CHECK(lines[1].amount_msat() == 285);
  CHECK(lines[2].amount_msat() == 142);
  CHECK(Sum(lines) == 1500);

  // Thirds of 100 msat with no fee: 33.33 each, the leftover 1 to the first.
  pv1::SplitRule thirds = *ParseSplitSpec("owner:33.34,publisher:33.33,uploader:33.33");
  const std::vector<pv1::SplitLine> parts = PreviewSplit(100, thirds);
  CHECK(parts[0].amount_msat() == 34);
  CHECK(parts[1].amount_msat() == 33);
  CHECK(parts[2].amount_msat() == 33);
  CHECK(parts[3].amount_msat() == 0);

  // No recipients: the owner takes everything after the fee. The largest amounts do not
  // overflow.
  pv1::SplitRule empty;
  empty.set_platform_fee_basis_points(5000);
  const std::vector<pv1::SplitLine> whole = PreviewSplit(UINT64_MAX, empty);
  REQUIRE(whole.size() == 2);
  CHECK(whole[0].role() == pv1::RECIPIENT_ROLE_OWNER);
  CHECK(whole[1].amount_msat() == UINT64_MAX / 2);
  CHECK(whole[0].amount_msat() + whole[1].amount_msat() == UINT64_MAX);
  for (uint64_t amount : {1ull, 7ull, 999ull, 123456789ull}) {
    CHECK(Sum(PreviewSplit(amount, rule)) == amount);
  }
}

}  // namespace
}  // namespace bitcontent::client
