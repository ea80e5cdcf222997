// Transfer, the state of a pending transfer, and the change feed's TransferEvent, as the
// engine holds and stores them.
//
// Semantics are those of Transfer and TransferEvent in
// proto/bitcontent/wallet/v1/ledger.proto. A stored post or void carries the accounts,
// ledger, code and amount resolved from its pending transfer. PendingState is kept per
// pending transfer so that history can say whether a hold is still held, posted (and
// for how much), voided or expired.
#pragma once

#include <cstdint>

#include "libs/ledger/id.h"

namespace bitcontent::ledger {

enum TransferFlag : uint16_t {
  kTransferLinked = 1 << 0,
  kPending = 1 << 1,
  kPostPendingTransfer = 1 << 2,
  kVoidPendingTransfer = 1 << 3,
};
inline constexpr uint16_t kTransferFlagsKnown =
    kTransferLinked | kPending | kPostPendingTransfer | kVoidPendingTransfer;

struct Transfer {
  Id id = {};
  Id debit_account_id = {};
  Id credit_account_id = {};
  uint64_t amount_msat = 0;
  Id pending_id = {};
  Id user_data_128 = {};
  uint64_t user_data_64 = 0;
  uint32_t user_data_32 = 0;
  uint32_t timeout_seconds = 0;
  uint32_t ledger = 0;
  uint16_t code = 0;
  uint16_t flags = 0;
  uint64_t timestamp_ns = 0;

  bool post_or_void() const { return (flags & (kPostPendingTransfer | kVoidPendingTransfer)) != 0; }
  friend bool operator==(const Transfer&, const Transfer&) = default;
};

enum class PendingStatus : uint8_t { kPending = 1, kPosted = 2, kVoided = 3, kExpired = 4 };

struct PendingState {
  PendingStatus status = PendingStatus::kPending;
  // What the post moved (0 unless posted).
  uint64_t posted_amount_msat = 0;
  // When the hold expires on its own; 0 for never.
  uint64_t expires_at_ns = 0;
  // When it was posted, voided or expired; 0 while pending.
  uint64_t resolved_timestamp_ns = 0;

  friend bool operator==(const PendingState&, const PendingState&) = default;
};

// Values equal bitcontent.wallet.v1.TransferEventType.
enum class TransferEventType : uint8_t { kCreated = 1, kExpired = 2 };

struct TransferEvent {
  uint64_t timestamp_ns = 0;
  TransferEventType type = TransferEventType::kCreated;
  Transfer transfer = {};
};

}  // namespace bitcontent::ledger
