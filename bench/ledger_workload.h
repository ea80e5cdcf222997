// LedgerWorkload: the double-entry workload that ledger_bench runs on the ledger engine
// and on PostgreSQL, generated the same way for both from a fixed seed.
//
// Members (ids 1..member_count) carry debits_must_not_exceed_credits; the chain-deposits
// account (the outside world's side of deposits, unconstrained) funds each of them once. Then
// payments flow between members picked uniformly at random, so no account is hot: a fifth of them
// are purchases, a linked pair (buyer -> owner, buyer -> publisher) that shares a reference
// (user_data_128), the rest single transfers. Members are funded far beyond what they spend, so
// every payment succeeds: the bench measures successful transfers, never fast failures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "libs/ledger/account.h"
#include "libs/ledger/transfer.h"

namespace bitcontent::bench {

struct LedgerWorkloadOptions {
  size_t member_count = 10'000;
  // Transfers per batch (one CreateTransfers call, one SQL transaction).
  size_t batch_size = 8'000;
  uint64_t funding_msat = 100'000'000'000;  // 1 BTC per member
  uint64_t payment_msat_max = 100'000;      // 100 sat
  uint64_t seed = 20261204;
};

// The codes of proto/bitcontent/wallet/v1/ledger.proto that the workload uses.
inline constexpr uint16_t kMemberWalletCode = 1;   // ACCOUNT_CODE_MEMBER_WALLET
inline constexpr uint16_t kChainDepositsCode = 4;  // ACCOUNT_CODE_CHAIN_DEPOSITS
inline constexpr uint16_t kPaymentCode = 1;        // TRANSFER_CODE_PAYMENT
inline constexpr uint16_t kPurchaseShareCode = 2;  // TRANSFER_CODE_PURCHASE_SHARE
inline constexpr uint16_t kDepositCode = 6;        // TRANSFER_CODE_DEPOSIT
inline constexpr uint32_t kBitcoinLedger = 1;

// What one run of the workload measured, on either system.
struct WorkloadFigures {
  uint64_t transfers = 0;  // payments only; the funding is not timed
  uint64_t batches = 0;
  double seconds = 0;
  double batch_ms_max = 0;

  double transfers_per_s() const {
    return seconds > 0 ? static_cast<double>(transfers) / seconds : 0;
  }
  double batch_ms_avg() const {
    return batches > 0 ? seconds * 1e3 / static_cast<double>(batches) : 0;
  }
};

class LedgerWorkload {
 public:
  explicit LedgerWorkload(LedgerWorkloadOptions options);

  const LedgerWorkloadOptions& options() const { return options_; }
  uint64_t chain_deposits_id() const { return options_.member_count + 1; }

  // The members, then the chain-deposits account.
  std::vector<ledger::Account> Accounts() const;
  // One deposit per member (chain deposits -> member), in batches of at most batch_size.
  std::vector<std::vector<ledger::Transfer>> FundingBatches();
  // The next batch of exactly batch_size payments; a purchase never straddles batches.
  std::vector<ledger::Transfer> NextPaymentBatch();

 private:
  ledger::Transfer Make(uint64_t debit, uint64_t credit, uint64_t amount_msat, uint16_t code);
  uint64_t RandomMember();
  uint64_t RandomOtherMember(uint64_t not_this);

  const LedgerWorkloadOptions options_;
  std::mt19937_64 random_;
  uint64_t next_transfer_id_ = 1;
  uint64_t next_purchase_id_ = 1;
};

}  // namespace bitcontent::bench
