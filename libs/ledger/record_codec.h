// The ledger's binary records: every stored value of libs/ledger, encoded big-endian at
// fixed widths (no protobuf: encoding is on the hot path of every commit). Accounts and
// transfers leave out their zero fields, under a mask of those present. Each record starts with a
// kind byte, so a stored id tells whether it names a transfer or a failed submission, and a record
// of the wrong kind or length decodes as DataLoss instead of as garbage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/ledger/account.h"
#include "libs/ledger/results.h"
#include "libs/ledger/totals.h"
#include "libs/ledger/transfer.h"

namespace bitcontent::ledger {

// What a key of the transfers family holds: a committed transfer or the first failure
// of that id (ids are never reused, so a failure is remembered like a transfer).
struct StoredId {
  std::optional<Transfer> transfer;                                   // set for a transfer
  CreateTransferResult failure = CreateTransferResult::kUnspecified;  // set otherwise
};

// One entry of an events block: what happened to which transfer, when.
struct EventEntry {
  uint64_t timestamp_ns = 0;
  TransferEventType type = TransferEventType::kCreated;
  Id transfer_id = {};
};

// What an expiry index entry needs to release a hold without reading the transfer.
struct ExpiryEntry {
  Id debit_account_id = {};
  Id credit_account_id = {};
  uint64_t amount_msat = 0;
};

void EncodeAccount(const Account& account, std::string* out);
absl::StatusOr<Account> DecodeAccount(const Id& id, std::string_view value);

void EncodeTransfer(const Transfer& transfer, std::string* out);
void EncodeFailure(CreateTransferResult failure, std::string* out);
absl::StatusOr<StoredId> DecodeStoredId(const Id& id, std::string_view value);

void EncodePendingState(const PendingState& state, std::string* out);
absl::StatusOr<PendingState> DecodePendingState(std::string_view value);

void EncodeTotals(const Totals& totals, std::string* out);
absl::StatusOr<Totals> DecodeTotals(std::string_view value);

void EncodeExpiryEntry(const ExpiryEntry& entry, std::string* out);
absl::StatusOr<ExpiryEntry> DecodeExpiryEntry(std::string_view value);

// One entry of an account's history: its side of a transfer, when.
struct HistoryEntry {
  uint64_t timestamp_ns = 0;
  char side = 0;  // kDebitSide or kCreditSide (keys.h)
  Id transfer_id = {};
};

// An account's entries of one or more commits, oldest first, as one value of the history
// family (its key: the account and the last entry's timestamp). A value of 17 bytes is the
// layout before groups (side and id of the one entry its key's timestamp names).
inline constexpr size_t kHistoryEntryBytes = 8 + 1 + 16;
void AppendHistoryEntry(const HistoryEntry& entry, std::string* out);
// The timestamp of the last entry of a non-empty group that AppendHistoryEntry built.
uint64_t LastHistoryTimestamp(std::string_view group);
absl::StatusOr<std::vector<HistoryEntry>> DecodeHistoryGroup(uint64_t key_timestamp_ns,
                                                             std::string_view value);

void AppendEventEntry(const EventEntry& entry, std::string* out);
absl::StatusOr<std::vector<EventEntry>> DecodeEventBlock(std::string_view value);

}  // namespace bitcontent::ledger
