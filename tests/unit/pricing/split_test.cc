// Split rounding as prices.proto documents it: the worked example of docs/pricing.md, the
// order of the leftover millisatoshi, and a property test over random amounts and splits
// (the parts always sum to the amount; no part is 1 msat or more off its exact share).
#include "libs/split/split.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <numeric>
#include <random>

#include "absl/numeric/int128.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"

namespace bitcontent::pricing {
namespace {

// Owner, publisher and uploader, then OTHER members, each once, with `points`.
v1::SplitRule Rule(const std::vector<uint32_t>& points) {
  const v1::RecipientRole roles[] = {v1::RECIPIENT_ROLE_OWNER, v1::RECIPIENT_ROLE_PUBLISHER,
                                     v1::RECIPIENT_ROLE_UPLOADER};
  v1::SplitRule rule;
  for (size_t i = 0; i < points.size(); ++i) {
    v1::SplitRecipient* recipient = rule.add_recipients();
    if (i < 3) {
      recipient->set_role(roles[i]);
    } else {
      recipient->set_role(v1::RECIPIENT_ROLE_OTHER);
      recipient->set_user("users/" + ids::NewId());
    }
    recipient->set_basis_points(points[i]);
  }
  return rule;
}

}  // namespace

TEST_CASE("The worked example: 1,001 msat, 5 % fee, 70/20/10") {
  const SplitParts parts = SplitAmount(1001, 500, {7000, 2000, 1000});
  // fee = floor(1001 * 500 / 10000) = 50; rest = 951.
  CHECK(parts.fee_msat == 50);
  // 951 * 0.7 = 665.7, 951 * 0.2 = 190.2, 951 * 0.1 = 95.1: floors 665 + 190 + 95 = 950,
  // and the 1 msat left goes to the largest remainder (0.7: the owner).
  CHECK(parts.shares_msat == std::vector<uint64_t>{666, 190, 95});
}

TEST_CASE("Leftover millisatoshi go to the largest remainders, ties by list order") {
  // 10 msat in near thirds: remainders 3340, 3330, 3330: the first gets the 1 left.
  CHECK(SplitAmount(10, 0, {3334, 3333, 3333}).shares_msat == std::vector<uint64_t>{4, 3, 3});
  CHECK(SplitAmount(2, 0, {2500, 2500, 2500, 2500}).shares_msat ==
        std::vector<uint64_t>{1, 1, 0, 0});
  CHECK(SplitAmount(0, 500, {10000}).shares_msat == std::vector<uint64_t>{0});
  const SplitParts max = SplitAmount(UINT64_MAX, 5000, {5000, 5000});
  CHECK(max.fee_msat + max.shares_msat[0] + max.shares_msat[1] == UINT64_MAX);
}

TEST_CASE("Property: random splits sum exactly and stay within 1 msat of the exact share") {
  std::mt19937_64 random(20260606);
  for (int round = 0; round < 20000; ++round) {
    const size_t count = 1 + random() % kSplitRecipientsMax;
    // Random cut points of 10,000 into `count` positive parts.
    std::vector<uint32_t> points(count, 1);
    for (uint32_t left = kBasisPointsTotal - static_cast<uint32_t>(count); left > 0; --left) {
      ++points[random() % count];
    }
    const uint64_t amount = round % 3 == 0 ? random() : random() % 100'000;
    const uint32_t fee = static_cast<uint32_t>(random() % (kPlatformFeeBasisPointsMax + 1));
    const SplitParts parts = SplitAmount(amount, fee, points);
    const uint64_t sum =
        std::accumulate(parts.shares_msat.begin(), parts.shares_msat.end(), parts.fee_msat);
    REQUIRE(sum == amount);
    const absl::uint128 rest = amount - parts.fee_msat;
    for (size_t i = 0; i < count; ++i) {
      // |share - rest * p / 10000| < 1  <=>  |share * 10000 - rest * p| < 10000.
      const absl::uint128 scaled = absl::uint128(parts.shares_msat[i]) * 10000;
      const absl::uint128 exact = rest * points[i];
      const absl::uint128 off = scaled > exact ? scaled - exact : exact - scaled;
      REQUIRE(off < 10000);
    }
  }
}

TEST_CASE("One split check for prices and paywall resources") {
  CHECK(CheckSplit("price.split", Rule({7000, 2000, 1000})).ok());
  CHECK(CheckSplit("price.split", v1::SplitRule()).ok());
  const absl::Status sum = CheckSplit("price.split", Rule({7000, 2000}));
  CHECK(absl::IsInvalidArgument(sum));
  CHECK(sum.message().find("9000") != absl::string_view::npos);
  CHECK(absl::IsInvalidArgument(CheckSplit("price.split", Rule(std::vector<uint32_t>(17, 1)))));
  v1::SplitRule other = Rule({10000});
  other.mutable_recipients(0)->set_role(v1::RECIPIENT_ROLE_OTHER);
  const absl::Status no_user = CheckSplit("price.split", other);
  CHECK(no_user.message().find("required") != absl::string_view::npos);
  CHECK(kit::DetailsOf(no_user).field_violations(0).field() == "price.split.recipients[0].user");
  other.mutable_recipients(0)->set_user("users/not-an-id");
  CHECK(absl::IsInvalidArgument(CheckSplit("price.split", other)));
}

TEST_CASE("A split pays each member and each role once") {
  const std::string user = "users/" + ids::NewId();
  // owner, publisher and uploader without users may all be one member: that is the rule.
  CHECK(CheckSplit("price.split", Rule({7000, 2000, 1000})).ok());
  v1::SplitRule twice = Rule({5000, 5000});
  twice.mutable_recipients(1)->set_role(v1::RECIPIENT_ROLE_OWNER);
  const absl::Status owner = CheckSplit("price.split", twice);
  CHECK(absl::IsInvalidArgument(owner));
  CHECK(kit::DetailsOf(owner).field_violations(0).field() == "price.split.recipients[1].role");
  // publisher=users/X:20,users/X:10: one member in two roles.
  v1::SplitRule named = Rule({8000, 1000, 1000});
  named.mutable_recipients(1)->set_user(user);
  named.mutable_recipients(2)->set_role(v1::RECIPIENT_ROLE_OTHER);
  named.mutable_recipients(2)->set_user(user);
  const absl::Status member = CheckSplit("paywall_resource.split", named);
  CHECK(absl::IsInvalidArgument(member));
  CHECK(kit::DetailsOf(member).field_violations(0).field() ==
        "paywall_resource.split.recipients[2].user");
  CHECK(member.message().find("recipients[1]") != absl::string_view::npos);
  // Two OTHER recipients are fine when they are two members.
  named.mutable_recipients(1)->set_user("users/" + ids::NewId());
  CHECK(CheckSplit("price.split", named).ok());
}

TEST_CASE("A member's id in small letters is written as ids are given out") {
  v1::SplitRule rule = Rule({5000, 0, 0, 5000});
  rule.mutable_recipients()->DeleteSubrange(1, 2);
  const std::string id = rule.recipients(1).user();
  std::string lower = id;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  rule.mutable_recipients(1)->set_user(lower);
  CanonicalizeUsers(&rule);
  CHECK(rule.recipients(1).user() == id);
  CHECK(CheckSplit("split", rule).ok());
}

TEST_CASE("Split lines: one per recipient, then the fee, summing to the amount") {
  v1::SplitRule rule = Rule({7000, 3000});
  rule.mutable_recipients(0)->set_user("users/A");
  const std::vector<v1::SplitLine> lines = SplitLines(1000, 500, rule);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].user() == "users/A");
  CHECK(lines[0].amount_msat() == 665);
  CHECK(lines[1].amount_msat() == 285);
  CHECK(lines[2].platform_fee());
  CHECK(lines[2].amount_msat() == 50);
}

}  // namespace bitcontent::pricing
