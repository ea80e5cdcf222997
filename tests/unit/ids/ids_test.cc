#include "libs/ids/ids.h"

#include <catch2/catch.hpp>
#include <set>

namespace bitcontent::ids {
namespace {

TEST_CASE("ids are 26 valid characters and never repeat") {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewId();
    CHECK(IsValidId(id));
    seen.insert(std::move(id));
  }
  CHECK(seen.size() == 10000);
  CHECK(IsValidId(NewRandomId()));
}

TEST_CASE("ids sort by creation time") {
  const absl::Time t = absl::FromUnixMillis(1'790'000'000'000);
  const std::string earlier = IdAt(t, 0xffff, ~0ULL);
  const std::string later = IdAt(t + absl::Milliseconds(1), 0, 0);
  CHECK(earlier < later);
  CHECK(IdFloor(t) <= earlier);
  CHECK(IdFloor(t) == IdAt(t, 0, 0));
}

TEST_CASE("ids made one after another sort in that order even within a millisecond") {
  // Thousands are made per millisecond here, so most share one with the id before.
  std::string previous = NewId();
  int out_of_order = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string id = NewId();
    if (id <= previous) ++out_of_order;
    previous = std::move(id);
  }
  CHECK(out_of_order == 0);
}

TEST_CASE("the largest and smallest 128-bit values encode at the edges of the alphabet") {
  CHECK(IdAt(absl::FromUnixMillis(0), 0, 0) == std::string(26, '0'));
  CHECK(IdAt(absl::FromUnixMillis((1LL << 48) - 1), 0xffff, ~0ULL) == "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
}

TEST_CASE("malformed ids are refused") {
  CHECK_FALSE(IsValidId(""));
  CHECK_FALSE(IsValidId(std::string(25, 'A')));
  CHECK_FALSE(IsValidId(std::string(27, 'A')));
  CHECK_FALSE(IsValidId("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));  // More than 128 bits.
  CHECK_FALSE(IsValidId("0000000000000000000000000I"));  // Not in the alphabet.
  CHECK_FALSE(IsValidId("0000000000000000000000000a"));  // Lower case.
  CHECK(IsValidId("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
}

}  // namespace
}  // namespace bitcontent::ids
