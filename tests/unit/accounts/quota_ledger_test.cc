// The quota ledger: reservations never let usage pass the limit, every call is
// idempotent, and what is not committed in time is given back.
#include <catch2/catch.hpp>

#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "tests/unit/accounts/test_domain.h"

namespace bitcontent::accounts {
namespace {

using testing::TestDomain;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);
constexpr uint64_t kGB = 1'000'000'000;

TEST_CASE("a new member has the default 100 GB and nothing used", "[accounts]") {
  TestDomain domain;
  absl::StatusOr<v1::Quota> quota = domain->quotas().Get(ids::NewId(), kNow);
  REQUIRE(quota.ok());
  CHECK(quota->limit_bytes() == 100 * kGB);
  CHECK(quota->used_bytes() == 0);
  CHECK(quota->available_bytes() == 100 * kGB);
}

TEST_CASE("reserve, commit and release move bytes between free, held and used", "[accounts]") {
  TestDomain domain;
  const std::string user = ids::NewId();
  QuotaLedger& ledger = domain->quotas();
  REQUIRE(ledger.Reserve(user, "upload-1", 10 * kGB, std::nullopt, kNow).ok());
  REQUIRE(ledger.Reserve(user, "upload-2", 5 * kGB, std::nullopt, kNow).ok());
  v1::Quota quota = ledger.Get(user, kNow).value();
  CHECK(quota.reserved_bytes() == 15 * kGB);
  CHECK(quota.available_bytes() == 85 * kGB);

  absl::StatusOr<v1::QuotaReservation> committed = ledger.Commit(user, "upload-1", 9 * kGB, kNow);
  REQUIRE(committed.ok());
  CHECK(committed->state() == v1::QUOTA_RESERVATION_STATE_COMMITTED);
  REQUIRE(ledger.Release(user, "upload-2", kNow).ok());
  quota = ledger.Get(user, kNow).value();
  CHECK(quota.used_bytes() == 9 * kGB);
  CHECK(quota.reserved_bytes() == 0);
  CHECK(quota.available_bytes() == 91 * kGB);

  // Repeats change nothing; contradictions are refused.
  CHECK(ledger.Reserve(user, "upload-1", 10 * kGB, std::nullopt, kNow)->state() ==
        v1::QUOTA_RESERVATION_STATE_COMMITTED);
  CHECK(ledger.Commit(user, "upload-1", 9 * kGB, kNow).ok());
  CHECK(ledger.Commit(user, "upload-1", 8 * kGB, kNow).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(ledger.Release(user, "upload-2", kNow).ok());
  CHECK(ledger.Release(user, "upload-1", kNow).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(ledger.Reserve(user, "upload-1", 1, std::nullopt, kNow).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(ledger.Get(user, kNow)->used_bytes() == 9 * kGB);
}

TEST_CASE("a reservation that does not fit is refused with how much is free", "[accounts]") {
  TestDomain domain;
  const std::string user = ids::NewId();
  QuotaLedger& ledger = domain->quotas();
  REQUIRE(ledger.SetLimit(user, 1000, kNow).ok());
  REQUIRE(ledger.Reserve(user, "a", 700, std::nullopt, kNow).ok());
  absl::StatusOr<v1::QuotaReservation> over = ledger.Reserve(user, "b", 301, std::nullopt, kNow);
  CHECK(over.status().code() == absl::StatusCode::kResourceExhausted);
  CHECK_THAT(std::string(over.status().message()), Catch::Contains("only 300 bytes are free"));
  CHECK(kit::DetailsOf(over.status()).reason() == common::v1::ERROR_REASON_QUOTA_EXCEEDED);
  CHECK(kit::DetailsOf(over.status()).metadata().at("available_bytes") == "300");
  CHECK(ledger.Reserve(user, "b", 300, std::nullopt, kNow).ok());
  CHECK(ledger.Get(user, kNow)->available_bytes() == 0);
  CHECK(ledger.Commit(user, "b", 301, kNow).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("a reservation not committed in time is given back", "[accounts]") {
  TestDomain domain;
  const std::string user = ids::NewId();
  QuotaLedger& ledger = domain->quotas();
  REQUIRE(ledger.SetLimit(user, 1000, kNow).ok());
  REQUIRE(ledger.Reserve(user, "slow", 800, kNow + absl::Hours(1), kNow).ok());
  CHECK(ledger.Reserve(user, "next", 800, std::nullopt, kNow).status().code() ==
        absl::StatusCode::kResourceExhausted);
  const absl::Time later = kNow + absl::Hours(2);
  CHECK(ledger.Get(user, later)->reserved_bytes() == 0);
  CHECK(ledger.Reserve(user, "next", 800, std::nullopt, later).ok());
  CHECK(ledger.Commit(user, "slow", 800, later).status().code() ==
        absl::StatusCode::kFailedPrecondition);
  CHECK(ledger.Reserve(user, "far", 1, kNow + absl::Hours(24 * 8), kNow).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("usage adjustments are idempotent and never go below zero", "[accounts]") {
  TestDomain domain;
  const std::string user = ids::NewId();
  QuotaLedger& ledger = domain->quotas();
  CHECK(ledger.Adjust(user, 500, "adj-1", kNow)->used_bytes() == 500);
  CHECK(ledger.Adjust(user, 500, "adj-1", kNow)->used_bytes() == 500);
  CHECK(ledger.Adjust(user, 400, "adj-1", kNow).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(ledger.Adjust(user, -900, "adj-2", kNow)->used_bytes() == 0);
  CHECK(ledger.Adjust(user, 1, "", kNow).status().code() == absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bitcontent::accounts
