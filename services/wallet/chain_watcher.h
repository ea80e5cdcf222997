// ChainWatcher: credits Bitcoin deposits to wallets once Bitcoin Core has seen them
// confirmed N times, exactly once, surviving crashes, restarts and reorgs.
//
//   ChainWatcher watcher(options, std::make_unique<BitcoinRpc>(rpc_options), store,
//                        &directory, &crediter);
//   watcher.Start();   // polls every options.poll_interval on its own thread
//   watcher.Status();  // for WalletAdminService.GetChainWatcherStatus
//
// Each poll asks Core for the wallet's transactions since a cursor (listsinceblock,
// whose lastblock at depth N is reorg-safe: every transaction with fewer than N
// confirmations is listed again by the next call), records what it saw about deposits
// to our addresses together with the new cursor in one batch, then credits the deposits
// that reached N confirmations through DepositCrediter, whose idempotence makes a crash
// between the credit and its record harmless. docs/deposits.md tells the whole story,
// reorgs included. It talks to the rest of the wallet only through the two interfaces
// below. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/wallet/v1/wallet_admin_service.pb.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"
#include "libs/bitcoin/network.h"
#include "libs/kit/periodic_task.h"
#include "libs/ledger/id.h"
#include "libs/store/store.h"
#include "services/wallet/bitcoin_rpc.h"
#include "services/wallet/deposit_store.h"
#include "services/wallet/wallet_ids.h"  // DepositTransferId: every crediter uses it

namespace bitcontent::wallet {

// Who owns a deposit address (addresses the wallet handed out with CreateDepositAddress).
class DepositAddressDirectory {
 public:
  virtual ~DepositAddressDirectory() = default;
  // The user id (the part after "users/") that owns `address`; nullopt when it is not ours.
  virtual absl::StatusOr<std::optional<std::string>> OwnerOf(std::string_view address) const = 0;
};

// Credits confirmed deposits to wallets; implemented by the wallet over the ledger.
class DepositCrediter {
 public:
  virtual ~DepositCrediter() = default;
  // Credits amount_msat to the wallet of user_id for output txid:vout. Idempotent: the
  // ledger transfer id is derived from txid:vout, so a repeated call (after a crash, a
  // re-poll) never credits twice and returns the same transfer id.
  virtual absl::StatusOr<ledger::Id> Credit(std::string_view user_id, std::string_view txid,
                                            uint32_t vout, uint64_t amount_msat) = 0;
};

// The proto's name of `network`.
v1::BitcoinNetwork NetworkToProto(bitcoin::Network network);

// What one poll learnt about one deposit output (chain_poll.cc).
struct DepositObservation;

// Confirmations a deployment may require; beyond this listsinceblock replies grow
// without buying safety.
inline constexpr uint32_t kRequiredConfirmationsMax = 1'000;

struct ChainWatcherOptions {
  bitcoin::Network network = bitcoin::Network::kRegtest;
  // 1..kRequiredConfirmationsMax.
  uint32_t required_confirmations = 3;
  // 0 or less: Start does not poll (tests call PollOnce).
  absl::Duration poll_interval = absl::Seconds(30);
  // Credits one poll makes at most; the rest wait for the next poll.
  size_t credits_per_poll_max = 1'000;
  // Where detect_time and credit_time come from.
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // When set, called after every poll with its outcome (metrics), on the polling thread
  // with no lock of the watcher held.
  std::function<void(const absl::Status&)> on_poll = nullptr;
};

class ChainWatcher {
 public:
  // `rpc` nullptr means the watcher is disabled (no --bitcoin_rpc_url): polls fail with
  // FailedPrecondition and Status says so, while recorded deposits stay listable. The
  // store (opened with ChainWatcherColumnFamilies()), directory and crediter must
  // outlive the watcher.
  ChainWatcher(ChainWatcherOptions options, std::unique_ptr<BitcoinRpc> rpc, store::Store* store,
               const DepositAddressDirectory* directory, DepositCrediter* crediter);
  ChainWatcher(const ChainWatcher&) = delete;
  ChainWatcher& operator=(const ChainWatcher&) = delete;
  ~ChainWatcher();  // Stops.

  // InvalidArgument for options that cannot work; checks the RPC options too.
  absl::Status Validate() const;
  // Polls every poll_interval on a background thread, the first time one interval
  // from now. Does nothing when disabled or already started.
  void Start();
  // Stops the thread, waiting for a poll in progress. Idempotent.
  void Stop();

  // One poll, now, on the caller's thread (polls never overlap). The error, if any, is
  // also kept as Status().last_error.
  absl::Status PollOnce();

  // The user's deposits, newest first (see DepositStore::List).
  absl::StatusOr<v1::ListDepositsResponse> ListDeposits(std::string_view user_id, int32_t page_size,
                                                        std::string_view page_token) const;
  // Sum of the user's deposits still waiting for confirmations.
  absl::StatusOr<uint64_t> UnconfirmedMsat(std::string_view user_id) const;
  // Everything but next_address_index, which the wallet fills.
  absl::StatusOr<v1::ChainWatcherStatus> Status() const;
  // Credited deposits whose transaction later left the chain (a reorg deeper than the
  // required confirmations); ChainWatcherStatus has no field for it yet.
  absl::StatusOr<uint64_t> RemovedAfterCreditCount() const;

 private:
  absl::Status Poll() ABSL_EXCLUSIVE_LOCKS_REQUIRED(poll_mu_);
  absl::Status Record(const SinceBlock& since, const BlockchainInfo& info)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(poll_mu_);
  absl::StatusOr<std::vector<DepositObservation>> Observe(const SinceBlock& since) const;
  absl::Status AddVanished(std::vector<DepositObservation>* observations) const;
  absl::Status CreditDue() ABSL_EXCLUSIVE_LOCKS_REQUIRED(poll_mu_);

  const ChainWatcherOptions options_;
  const std::unique_ptr<BitcoinRpc> rpc_;
  DepositStore deposits_;
  const DepositAddressDirectory* const directory_;
  DepositCrediter* const crediter_;

  absl::Mutex poll_mu_;

  mutable absl::Mutex status_mu_;
  uint64_t tip_height_ ABSL_GUARDED_BY(status_mu_) = 0;
  std::optional<absl::Time> last_poll_time_ ABSL_GUARDED_BY(status_mu_);
  std::string last_error_ ABSL_GUARDED_BY(status_mu_);

  absl::Mutex task_mu_;
  std::unique_ptr<kit::PeriodicTask> task_ ABSL_GUARDED_BY(task_mu_);
};

}  // namespace bitcontent::wallet
