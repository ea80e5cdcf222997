// Payouts: withdrawals to a Bitcoin address (`bitcontent wallet withdraw`). A request
// holds the amount (a pending transfer, member -> chain payouts, no timeout) until an
// operator approves it with the txid they broadcast (the hold is posted) or rejects it
// (voided); the member may cancel while it waits (voided).
//
// The payout id is the hold's id in hex, derived from the member and the request's
// idempotency key, so a retried request finds its payout. Each step writes its record
// after the ledger commit and is safe to repeat: a decision's transfer id is derived
// from the hold, and its txid or reason is in the decision's note, written first, so
// Reconcile() at start finishes a step a crash interrupted. Thread-safe.
#pragma once

#include <functional>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/wallet/v1/wallet_admin_service.pb.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"
#include "libs/bitcoin/network.h"
#include "libs/kit/striped_locks.h"
#include "libs/ledger/ledger.h"
#include "services/wallet/records.pb.h"
#include "services/wallet/transfer_notes.h"
#include "services/wallet/wallet_db.h"

namespace bitcontent::wallet {

struct PayoutSettings {
  bitcoin::Network network = bitcoin::Network::kRegtest;
  // The smallest withdrawal (a multiple of 1000 msat).
  uint64_t min_msat = 10'000'000;
  // When set, told of each payout that starts (+1, +amount) or stops (-1, -amount)
  // waiting for an operator (metrics).
  std::function<void(int64_t count, int64_t msat)> on_pending_change = nullptr;
};

// The payouts waiting for an operator.
struct PendingPayouts {
  uint64_t count = 0;
  uint64_t msat = 0;
};

struct PayoutOrder {
  std::string_view user_id;
  std::string_view address;
  uint64_t amount_msat = 0;
  std::string_view request_id;
};

class Payouts {
 public:
  static constexpr int32_t kPageSizeDefault = 50, kPageSizeMax = 100;

  // Every argument must outlive this.
  Payouts(const WalletDb& db, ledger::Ledger* ledger, TransferNotes* notes, PayoutSettings settings)
      : db_(db), ledger_(ledger), notes_(notes), settings_(settings) {}

  // Finishes what a crash interrupted: a request whose hold never committed is dropped
  // (it was never acknowledged), a decision whose transfer committed is recorded.
  absl::Status Reconcile(absl::Time now);

  // Holds the amount; INSUFFICIENT_FUNDS when the wallet cannot cover it.
  absl::StatusOr<v1::Payout> Request(const PayoutOrder& order, absl::Time now);
  // The member withdraws their request (name: "users/{user}/wallet/payouts/{payout}").
  absl::StatusOr<v1::Payout> Cancel(std::string_view user_id, std::string_view name,
                                    absl::Time now);
  // Operator decisions; `operator_user_id` is recorded as decided_by. An approval of a
  // waiting payout first asks `payee_ok` about its member, and stops at its refusal.
  using PayeeCheck = std::function<absl::Status(std::string_view user_id)>;
  absl::StatusOr<v1::Payout> Approve(std::string_view name, std::string_view txid,
                                     std::string_view operator_user_id, absl::Time now,
                                     const PayeeCheck& payee_ok);
  absl::StatusOr<v1::Payout> Reject(std::string_view name, std::string_view reason,
                                    std::string_view operator_user_id, absl::Time now);

  // A member's payouts, newest first.
  absl::StatusOr<v1::ListPayoutsResponse> List(std::string_view user_id, int32_t page_size,
                                               std::string_view page_token) const;
  // What waits for an operator now; reads every waiting payout.
  absl::StatusOr<PendingPayouts> Pending() const;
  // Every member's payouts in `state` (any when unspecified), oldest first.
  absl::StatusOr<v1::SearchPayoutsResponse> Search(v1::PayoutState state, int32_t page_size,
                                                   std::string_view page_token) const;

 private:
  enum class Decision { kApprove, kReject, kCancel };
  absl::StatusOr<v1::Payout> Decide(std::string_view name, Decision decision,
                                    std::string_view detail, std::string_view by_user_id,
                                    std::optional<std::string_view> owner, absl::Time now,
                                    const PayeeCheck* payee_ok = nullptr);
  absl::StatusOr<std::optional<storage::PayoutRecord>> Load(std::string_view payout_id) const;
  // Removes a request whose hold never committed, with its index entries.
  absl::Status Forget(const storage::PayoutRecord& record);
  // One page of the payouts `index` (keys ending in the payout id) lists under `prefix`;
  // the page token is the hex of the last key's part after the prefix.
  struct Page {
    std::vector<v1::Payout> payouts;
    std::string next_page_token;
  };
  absl::StatusOr<Page> ListIndex(store::ColumnFamily index, std::string_view prefix,
                                 bool newest_first, int32_t page_size,
                                 std::string_view page_token) const;
  absl::Status Save(const storage::PayoutRecord& record, v1::PayoutState previous);
  void PendingChanged(int64_t count, uint64_t msat) const;

  const WalletDb& db_;
  ledger::Ledger* const ledger_;
  TransferNotes* const notes_;
  const PayoutSettings settings_;
  kit::StripedLocks<> locks_;
};

}  // namespace bitcontent::wallet
