// Every record of record_codec round-trips, and a record of the wrong kind or size is
// DataLoss.
#include <catch2/catch.hpp>
#include <string>

#include "libs/ledger/keys.h"
#include "libs/ledger/record_codec.h"

namespace bitcontent::ledger {
namespace {

// The record of `account`, checked to decode to it.
std::string RoundTrip(const Account& account) {
  std::string value;
  EncodeAccount(account, &value);
  auto decoded = DecodeAccount(account.id, value);
  REQUIRE(decoded.ok());
  CHECK(*decoded == account);
  return value;
}

// The record of `transfer`, checked to decode to it.
std::string RoundTrip(const Transfer& transfer) {
  std::string value;
  EncodeTransfer(transfer, &value);
  auto stored = DecodeStoredId(transfer.id, value);
  REQUIRE(stored.ok());
  REQUIRE(stored->transfer.has_value());
  CHECK(*stored->transfer == transfer);
  return value;
}

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
  RoundTrip(account);

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
  RoundTrip(transfer);

  std::string value;
  EncodeFailure(CreateTransferResult::kExceedsCredits, &value);
  auto stored = DecodeStoredId(transfer.id, value);
  REQUIRE(stored.ok());
  CHECK(!stored->transfer.has_value());
  CHECK(stored->failure == CreateTransferResult::kExceedsCredits);
  CHECK(DecodeAccount(account.id, value).status().code() == absl::StatusCode::kDataLoss);
}

// A big-endian field of up to 8 bytes, as the layouts before the sparse one wrote them.
void Put(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>(v >> (8 * i)));
}

TEST_CASE("Accounts and transfers leave out their zero fields", "[ledger]") {
  // A member's wallet: posted balances, ledger, code, flags and timestamp only.
  const Account account{.id = {1, 2},
                        .debits_posted_msat = 4,
                        .credits_posted_msat = 5,
                        .ledger = 1,
                        .code = 1,
                        .flags = kDebitsMustNotExceedCredits,
                        .timestamp_ns = 12};
  CHECK(RoundTrip(account).size() == 3 + 8 + 8 + 4 + 2 + 2 + 8);

  // A payment: no pending id, user data or timeout.
  const Transfer transfer{.id = {1, 1},
                          .debit_account_id = {2, 2},
                          .credit_account_id = {3, 3},
                          .amount_msat = 4,
                          .ledger = 1,
                          .code = 1,
                          .timestamp_ns = 12};
  const std::string value = RoundTrip(transfer);
  CHECK(value.size() == 3 + 16 + 16 + 8 + 4 + 2 + 8);

  // A size that disagrees with the mask, and a mask naming a field past the last.
  std::string cut = value.substr(0, value.size() - 1);
  CHECK(DecodeStoredId(transfer.id, cut).status().code() == absl::StatusCode::kDataLoss);
  std::string extra = value;
  extra[1] = static_cast<char>(0x80);
  CHECK(DecodeStoredId(transfer.id, extra).status().code() == absl::StatusCode::kDataLoss);
}

TEST_CASE("Accounts and transfers stored in the fixed layout still decode", "[ledger]") {
  std::string account;  // kind 1: every field at its fixed offset
  Put(&account, 1, 1);
  for (uint64_t balance : {3, 4, 5, 6}) Put(&account, balance, 8);
  account.append(16, '\0');  // no user_data_128
  Put(&account, 7, 8);
  Put(&account, 8, 4);
  Put(&account, 9, 4);
  Put(&account, 10, 2);
  Put(&account, kDebitsMustNotExceedCredits, 2);
  Put(&account, 11, 8);
  REQUIRE(account.size() == 77);
  auto decoded = DecodeAccount({1, 2}, account);
  REQUIRE(decoded.ok());
  CHECK(*decoded == Account{.id = {1, 2},
                            .debits_pending_msat = 3,
                            .debits_posted_msat = 4,
                            .credits_pending_msat = 5,
                            .credits_posted_msat = 6,
                            .user_data_64 = 7,
                            .user_data_32 = 8,
                            .ledger = 9,
                            .code = 10,
                            .flags = kDebitsMustNotExceedCredits,
                            .timestamp_ns = 11});

  std::string transfer;  // kind 2
  Put(&transfer, 2, 1);
  Put(&transfer, 0, 8);
  Put(&transfer, 2, 8);  // debit {0, 2}
  Put(&transfer, 0, 8);
  Put(&transfer, 3, 8);  // credit {0, 3}
  Put(&transfer, 4, 8);
  transfer.append(32, '\0');  // no pending id, no user_data_128
  Put(&transfer, 5, 8);
  Put(&transfer, 6, 4);
  Put(&transfer, 7, 4);
  Put(&transfer, 1, 4);
  Put(&transfer, 2, 2);
  Put(&transfer, kPending, 2);
  Put(&transfer, 12, 8);
  REQUIRE(transfer.size() == 105);
  auto stored = DecodeStoredId({1, 1}, transfer);
  REQUIRE(stored.ok());
  REQUIRE(stored->transfer.has_value());
  CHECK(*stored->transfer == Transfer{.id = {1, 1},
                                      .debit_account_id = {0, 2},
                                      .credit_account_id = {0, 3},
                                      .amount_msat = 4,
                                      .user_data_64 = 5,
                                      .user_data_32 = 6,
                                      .timeout_seconds = 7,
                                      .ledger = 1,
                                      .code = 2,
                                      .flags = kPending,
                                      .timestamp_ns = 12});
  transfer.pop_back();
  CHECK(DecodeStoredId({1, 1}, transfer).status().code() == absl::StatusCode::kDataLoss);
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
