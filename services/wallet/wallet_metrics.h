// WalletMetrics: the wallet's own figures on its /metrics page, next to the gRPC and
// process ones every service has:
//
//   wallet_ledger_commits_total               durable commits (RocksDB WriteBatches)
//   wallet_ledger_commit_events               histogram: accounts and transfers per commit
//   wallet_ledger_transfers_committed_total   transfers committed (successful) since start
//   wallet_ledger_expired_holds_total         holds released by their timeout since start
//   wallet_ledger_accounts, wallet_ledger_transfers   all-time counts in the ledger
//   wallet_ledger_posted_msat, wallet_ledger_pending_msat   the sums (debits = credits)
//   wallet_ledger_balanced                    1 while debits equal credits, else 0
//   wallet_payouts_pending, wallet_payouts_pending_msat   waiting for an operator
//   wallet_chain_deposits_credited            deposits credited (all time)
//   wallet_chain_deposits_confirming          deposits waiting for confirmations
//   wallet_chain_deposits_removed_after_credit   credited, then left the chain
//   wallet_chain_poll_errors_total            chain-watcher polls that failed
//
// The ledger figures are set from each commit (LedgerOptions::on_commit), the payout
// figures from each change (PayoutSettings::on_pending_change) and the chain figures
// after each poll, so reading the page asks nothing of the ledger or the store.
// Thread-safe.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "libs/ledger/ledger.h"
#include "libs/metrics/registry.h"
#include "services/wallet/chain_watcher.h"

namespace bitcontent::wallet {

class WalletMetrics {
 public:
  // Adds the families to `registry`, which must outlive this.
  explicit WalletMetrics(metrics::Registry& registry);

  // The ledger's figures at start.
  void SetLedgerTotals(const ledger::Totals& totals);
  // One durable commit.
  void OnCommit(const ledger::CommitStats& stats);

  // The payouts waiting for an operator, at start (after reconciling).
  void SetPendingPayouts(uint64_t count, uint64_t msat);
  // A payout began or stopped waiting: +1 and +amount, or -1 and -amount.
  void PendingPayoutsChanged(int64_t count, int64_t msat);

  // The chain watcher's counts, read from `chain` at start and after each poll, whose
  // outcome `poll` is (nullptr at start).
  void OnChainPoll(const absl::Status* poll, const ChainWatcher& chain);

 private:
  metrics::Counter& commits_;
  metrics::Histogram& commit_events_;
  metrics::Counter& transfers_committed_;
  metrics::Counter& expired_holds_;
  metrics::Gauge& accounts_;
  metrics::Gauge& transfers_;
  metrics::Gauge& posted_msat_;
  metrics::Gauge& pending_msat_;
  metrics::Gauge& balanced_;
  metrics::Gauge& payouts_pending_;
  metrics::Gauge& payouts_pending_msat_;
  metrics::Gauge& deposits_credited_;
  metrics::Gauge& deposits_confirming_;
  metrics::Gauge& deposits_removed_after_credit_;
  metrics::Counter& poll_errors_;
  // The transfer count of the last totals seen, to count what each commit added; only
  // the ledger's writer thread touches it after start.
  uint64_t last_transfer_count_ = 0;
};

}  // namespace bitcontent::wallet
