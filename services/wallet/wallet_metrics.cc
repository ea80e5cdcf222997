#include "services/wallet/wallet_metrics.h"

#include "libs/metrics/buckets.h"

namespace bitcontent::wallet {
namespace {

metrics::Counter& NewCounter(metrics::Registry& registry, std::string_view name,
                             std::string_view help) {
  return registry.AddCounter(name, help, {}).WithLabels({});
}

metrics::Gauge& NewGauge(metrics::Registry& registry, std::string_view name,
                         std::string_view help) {
  return registry.AddGauge(name, help, {}).WithLabels({});
}

// Sums are 128-bit; a gauge is a double, which is exact up to 2^53 msat (90,000 BTC) and
// close enough beyond.
double Msat(ledger::Sum sum) { return static_cast<double>(sum); }

}  // namespace

WalletMetrics::WalletMetrics(metrics::Registry& registry)
    : commits_(NewCounter(registry, "wallet_ledger_commits_total",
                          "Durable ledger commits (one synced RocksDB WriteBatch each).")),
      commit_events_(
          registry
              .AddHistogram("wallet_ledger_commit_events",
                            "Accounts and transfers submitted per ledger commit (batch size).", {},
                            metrics::ExponentialBuckets(1, 4, 8))
              .WithLabels({})),
      transfers_committed_(
          NewCounter(registry, "wallet_ledger_transfers_committed_total",
                     "Transfers the ledger committed since the wallet started (failed ones "
                     "excluded).")),
      expired_holds_(NewCounter(registry, "wallet_ledger_expired_holds_total",
                                "Holds the ledger released by their timeout since start.")),
      accounts_(NewGauge(registry, "wallet_ledger_accounts", "Accounts in the ledger.")),
      transfers_(
          NewGauge(registry, "wallet_ledger_transfers", "Transfers in the ledger, all time.")),
      posted_msat_(NewGauge(registry, "wallet_ledger_posted_msat",
                            "Sum of posted debits (equal to posted credits) in msat.")),
      pending_msat_(NewGauge(registry, "wallet_ledger_pending_msat",
                             "Sum of pending debits (equal to pending credits) in msat.")),
      balanced_(NewGauge(registry, "wallet_ledger_balanced",
                         "1 while total debits equal total credits, posted and pending; 0 "
                         "means the ledger is wrong.")),
      payouts_pending_(
          NewGauge(registry, "wallet_payouts_pending", "Payout requests waiting for an operator.")),
      payouts_pending_msat_(NewGauge(registry, "wallet_payouts_pending_msat",
                                     "Amount held by payout requests waiting for an operator, "
                                     "in msat.")),
      deposits_credited_(NewGauge(registry, "wallet_chain_deposits_credited",
                                  "Bitcoin deposits credited to wallets, all time.")),
      deposits_confirming_(NewGauge(registry, "wallet_chain_deposits_confirming",
                                    "Bitcoin deposits seen and waiting for confirmations.")),
      deposits_removed_after_credit_(
          NewGauge(registry, "wallet_chain_deposits_removed_after_credit",
                   "Credited deposits whose transaction later left the chain (a reorg deeper "
                   "than the confirmations); each needs an operator's review.")),
      poll_errors_(NewCounter(registry, "wallet_chain_poll_errors_total",
                              "Chain watcher polls that failed (see GetChainWatcherStatus's "
                              "last_error).")) {}

void WalletMetrics::SetLedgerTotals(const ledger::Totals& totals) {
  accounts_.Set(static_cast<double>(totals.account_count));
  transfers_.Set(static_cast<double>(totals.transfer_count));
  posted_msat_.Set(Msat(totals.debits_posted_msat));
  pending_msat_.Set(Msat(totals.debits_pending_msat));
  balanced_.Set(totals.Balanced() ? 1 : 0);
  last_transfer_count_ = totals.transfer_count;
}

void WalletMetrics::OnCommit(const ledger::CommitStats& stats) {
  commits_.Increment();
  commit_events_.Observe(static_cast<double>(stats.events));
  expired_holds_.Increment(static_cast<double>(stats.expired_holds));
  if (stats.totals.transfer_count > last_transfer_count_) {
    transfers_committed_.Increment(
        static_cast<double>(stats.totals.transfer_count - last_transfer_count_));
  }
  SetLedgerTotals(stats.totals);
}

void WalletMetrics::SetPendingPayouts(uint64_t count, uint64_t msat) {
  payouts_pending_.Set(static_cast<double>(count));
  payouts_pending_msat_.Set(static_cast<double>(msat));
}

void WalletMetrics::PendingPayoutsChanged(int64_t count, int64_t msat) {
  payouts_pending_.Add(static_cast<double>(count));
  payouts_pending_msat_.Add(static_cast<double>(msat));
}

void WalletMetrics::OnChainPoll(const absl::Status* poll, const ChainWatcher& chain) {
  if (poll != nullptr && !poll->ok()) poll_errors_.Increment();
  // The counts are read from the store; when that fails the figures keep their last
  // values, and the next poll tries again.
  if (absl::StatusOr<v1::ChainWatcherStatus> status = chain.Status(); status.ok()) {
    deposits_credited_.Set(static_cast<double>(status->credited_deposit_count()));
    deposits_confirming_.Set(static_cast<double>(status->confirming_deposit_count()));
  }
  if (absl::StatusOr<uint64_t> removed = chain.RemovedAfterCreditCount(); removed.ok()) {
    deposits_removed_after_credit_.Set(static_cast<double>(*removed));
  }
}

}  // namespace bitcontent::wallet
