// ChainWatcher's lifecycle, queries and status; the poll itself is in chain_poll.cc.
#include "services/wallet/chain_watcher.h"

#include <cstdlib>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/log.h"

namespace bitcontent::wallet {
namespace {

constexpr char kDisabled[] = "the chain watcher is disabled: --bitcoin_rpc_url is empty";

}  // namespace

v1::BitcoinNetwork NetworkToProto(bitcoin::Network network) {
  switch (network) {
    case bitcoin::Network::kMainnet:
      return v1::BITCOIN_NETWORK_MAINNET;
    case bitcoin::Network::kTestnet:
      return v1::BITCOIN_NETWORK_TESTNET;
    case bitcoin::Network::kRegtest:
      return v1::BITCOIN_NETWORK_REGTEST;
  }
  return v1::BITCOIN_NETWORK_UNSPECIFIED;
}

ChainWatcher::ChainWatcher(ChainWatcherOptions options, std::unique_ptr<BitcoinRpc> rpc,
                           store::Store* store, const DepositAddressDirectory* directory,
                           DepositCrediter* crediter)
    : options_(std::move(options)),
      rpc_(std::move(rpc)),
      deposits_(store),
      directory_(directory),
      crediter_(crediter) {}

ChainWatcher::~ChainWatcher() { Stop(); }

absl::Status ChainWatcher::Validate() const {
  if (options_.required_confirmations < 1 ||
      options_.required_confirmations > kRequiredConfirmationsMax) {
    return absl::InvalidArgumentError(absl::StrCat("--deposit_confirmations must be 1 to ",
                                                   kRequiredConfirmationsMax, ", got ",
                                                   options_.required_confirmations));
  }
  if (options_.credits_per_poll_max == 0 || options_.credits_per_poll_max > kDepositChangesMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("credits_per_poll_max must be 1 to ", kDepositChangesMax));
  }
  if (!options_.now) return absl::InvalidArgumentError("ChainWatcherOptions.now is empty");
  return rpc_ == nullptr ? absl::OkStatus() : rpc_->Validate();
}

void ChainWatcher::Start() {
  absl::MutexLock lock(&task_mu_);
  if (rpc_ == nullptr || task_ != nullptr) return;
  task_ = std::make_unique<kit::PeriodicTask>(options_.poll_interval,
                                              [this] { PollOnce().IgnoreError(); });
  task_->Start();
}

void ChainWatcher::Stop() {
  std::unique_ptr<kit::PeriodicTask> task;
  {
    absl::MutexLock lock(&task_mu_);
    task = std::move(task_);
  }
  task.reset();  // Joins the thread outside task_mu_, after the poll in progress.
}

absl::Status ChainWatcher::PollOnce() {
  absl::Status status;
  {
    absl::MutexLock lock(&poll_mu_);
    status = rpc_ == nullptr ? absl::FailedPreconditionError(kDisabled) : Poll();
    if (!status.ok()) {
      kit::Log(spdlog::level::warn, "chain watcher poll failed", {{"error", status.ToString()}});
    }
    absl::MutexLock status_lock(&status_mu_);
    last_poll_time_ = options_.now();
    last_error_ = status.ok() ? "" : status.ToString();
  }
  if (options_.on_poll) options_.on_poll(status);
  return status;
}

absl::StatusOr<v1::ListDepositsResponse> ChainWatcher::ListDeposits(
    std::string_view user_id, int32_t page_size, std::string_view page_token) const {
  return deposits_.List(user_id, page_size, page_token);
}

absl::StatusOr<uint64_t> ChainWatcher::UnconfirmedMsat(std::string_view user_id) const {
  return deposits_.UnconfirmedMsat(user_id);
}

absl::StatusOr<v1::ChainWatcherStatus> ChainWatcher::Status() const {
  absl::StatusOr<storage::ChainCursor> cursor = deposits_.Cursor();
  if (!cursor.ok()) return cursor.status();
  absl::StatusOr<storage::ChainCounters> counters = deposits_.Counters();
  if (!counters.ok()) return counters.status();
  v1::ChainWatcherStatus status;
  status.set_network(NetworkToProto(options_.network));
  status.set_required_confirmations(options_.required_confirmations);
  status.set_cursor_block_hash(cursor->block_hash());
  status.set_cursor_height(cursor->height());
  status.set_confirming_deposit_count(counters->confirming_count());
  status.set_credited_deposit_count(counters->credited_count());
  absl::MutexLock lock(&status_mu_);
  status.set_tip_height(tip_height_);
  if (last_poll_time_.has_value()) {
    *status.mutable_last_poll_time() = auth::ProtoFromTime(*last_poll_time_);
  }
  status.set_last_error(rpc_ == nullptr ? kDisabled : last_error_);
  return status;
}

absl::StatusOr<uint64_t> ChainWatcher::RemovedAfterCreditCount() const {
  absl::StatusOr<storage::ChainCounters> counters = deposits_.Counters();
  if (!counters.ok()) return counters.status();
  return counters->removed_after_credit_count();
}

}  // namespace bitcontent::wallet
