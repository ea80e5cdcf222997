// Every record of record_codec round-trips, and a record of the wrong kind or size is
// DataLoss.
#include <catch2/catch.hpp>
#include <string>

#include "libs/ledger/keys.h"
#include "libs/ledger/record_codec.h"

namespace bitcontent::ledger {
namespace {

TEST_CASE("Accounts and transfers round-trip through their records", "[ledger]") {
  const Account account{.id = {1, 2},
                        .debits_pending_msat = 3,
                        .debits_posted_msat = 4,
                        .credits_pending_msat = 5,
                        .credits_posted_msat = ~uint64_t{0},
                        .user_data_128 = {6, 7},
                        .user_data_64 = 8,
                        .user_data_32 = 9,
                        .ledger = 10,
                        .code = 11,
                        .flags = kDebitsMustNotExceedCredits | kAccountLinked,
                        .timestamp_ns = 12};
  std::string value;
  EncodeAccount(account, &value);
  auto decoded = DecodeAccount(account.id, value);
  REQUIRE(decoded.ok());
  CHECK(*decoded == account);

  const Transfer transfer{.id = {1, 1},
                          .debit_account_id = {2, 2},
                          .credit_account_id = {3, 3},
                          .amount_msat = 4,
                          .pending_id = {5, 5},
                          .user_data_128 = {6, 6},
                          .user_data_64 = 7,
                          .user_data_32 = 8,
                          .timeout_seconds = 9,
                          .ledger = 10,
                          .code = 11,
                          .flags = kPending | kTransferLinked,
                          .timestamp_ns = 12};
  value.clear();
  EncodeTransfer(transfer, &value);
  auto stored = DecodeStoredId(transfer.id, value);
  REQUIRE(stored.ok());
  REQUIRE(stored->transfer.has_value());
  CHECK(*stored->transfer == transfer);

  value.clear();
  EncodeFailure(CreateTransferResult::kExceedsCredits, &value);
  stored = DecodeStoredId(transfer.id, value);
  REQUIRE(stored.ok());
  CHECK(!stored->transfer.has_value());
  CHECK(stored->failure == CreateTransferResult::kExceedsCredits);
  CHECK(DecodeAccount(account.id, value).status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("Pending states totals and event blocks round-trip", "[ledger]") {
  const PendingState state{.status = PendingStatus::kPosted,
                           .posted_amount_msat = 5,
                           .expires_at_ns = 6,
                           .resolved_timestamp_ns = 7};
  std::string value;
  EncodePendingState(state, &value);
  auto decoded = DecodePendingState(value);
  REQUIRE(decoded.ok());
  CHECK(*decoded == state);

  Totals totals{.account_count = 1, .transfer_count = 2, .last_timestamp_ns = 9};
  totals.debits_posted_msat = (Sum{1} << 100) + 3;
  totals.credits_posted_msat = totals.debits_posted_msat;
  value.clear();
  EncodeTotals(totals, &value);
  auto decoded_totals = DecodeTotals(value);
  REQUIRE(decoded_totals.ok());
  CHECK(*decoded_totals == totals);

  value.clear();
  AppendEventEntry({.timestamp_ns = 1, .type = TransferEventType::kCreated, .transfer_id = {0, 1}},
                   &value);
  AppendEventEntry({.timestamp_ns = 2, .type = TransferEventType::kExpired, .transfer_id = {0, 2}},
                   &value);
  auto block = DecodeEventBlock(value);
  REQUIRE(block.ok());
  REQUIRE(block->size() == 2);
  CHECK((*block)[1].type == TransferEventType::kExpired);
  CHECK((*block)[1].transfer_id == Id{0, 2});
  CHECK(DecodeEventBlock(value.substr(1)).status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("History groups round-trip and the single-entry layout still reads", "[ledger]") {
  std::string value;
  AppendHistoryEntry({.timestamp_ns = 7, .side = kDebitSide, .transfer_id = {1, 2}}, &value);
  AppendHistoryEntry({.timestamp_ns = 9, .side = kCreditSide, .transfer_id = {3, 4}}, &value);
  auto group = DecodeHistoryGroup(9, value);
  REQUIRE(group.ok());
  REQUIRE(group->size() == 2);
  CHECK((*group)[0].timestamp_ns == 7);
  CHECK((*group)[0].side == kDebitSide);
  CHECK((*group)[1].transfer_id == Id{3, 4});
  // The key names the group's last entry; anything else is damage.
  CHECK(DecodeHistoryGroup(8, value).status().code() == absl::StatusCode::kDataLoss);
  CHECK(DecodeHistoryGroup(9, value.substr(1)).status().code() == absl::StatusCode::kDataLoss);
  CHECK(DecodeHistoryGroup(9, "").status().code() == absl::StatusCode::kDataLoss);
  // Before groups: side and id, the timestamp in the key.
  const std::string single = std::string(1, kCreditSide) + value.substr(34, 16);
  auto old = DecodeHistoryGroup(42, single);
  REQUIRE(old.ok());
  REQUIRE(old->size() == 1);
  CHECK((*old)[0].timestamp_ns == 42);
  CHECK((*old)[0].side == kCreditSide);
  CHECK((*old)[0].transfer_id == Id{3, 4});
}

TEST_CASE("Ids are 16 big-endian bytes and keys sort by timestamp", "[ledger]") {
  const Id id{0x0102030405060708, 0x090a0b0c0d0e0f10};
  const std::string bytes = IdToBytes(id);
  REQUIRE(bytes.size() == 16);
  CHECK(bytes[0] == 0x01);
  CHECK(bytes[15] == 0x10);
  CHECK(IdFromBytes(bytes) == id);
  CHECK(IdTimestampKey(id, 255) < IdTimestampKey(id, 256));
}

}  // namespace
}  // namespace bitcontent::ledger
