// What the chain watcher tests share: a store holding the ledger's and the watcher's
// families in a fresh temporary directory (reopenable, as after a restart), a real
// ledger, a DepositCrediter over that ledger as the wallet will implement it, an
// address directory, and a watcher wired to a ReplayRpcServer.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/ledger/ledger.h"
#include "libs/store/store.h"
#include "services/wallet/chain_watcher.h"
#include "tests/unit/wallet/replay_rpc_server.h"

namespace bitcontent::wallet::testing {

inline constexpr uint32_t kLedger = 1;
inline constexpr uint16_t kMemberWalletCode = 1;     // ACCOUNT_CODE_MEMBER_WALLET
inline constexpr uint16_t kChainDepositsCode = 4;    // ACCOUNT_CODE_CHAIN_DEPOSITS
inline constexpr uint16_t kTransferCodeDeposit = 6;  // TRANSFER_CODE_DEPOSIT
inline constexpr ledger::Id kChainDepositsAccount = {0, 1};

// Addresses the wallet handed out, and to whom.
class MapDirectory final : public DepositAddressDirectory {
 public:
  void Add(std::string address, std::string user_id) { owners_[address] = user_id; }
  absl::StatusOr<std::optional<std::string>> OwnerOf(std::string_view address) const override {
    auto it = owners_.find(std::string(address));
    if (it == owners_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }

 private:
  std::map<std::string, std::string> owners_;
};

// Credits over the real ledger: chain deposits account -> the member's wallet account,
// transfer id DepositTransferId(txid, vout), so a repeated credit is the ledger's
// "exists" and moves nothing.
class LedgerCrediter final : public DepositCrediter {
 public:
  explicit LedgerCrediter(ledger::Ledger* ledger) : ledger_(ledger) {}

  void SetLedger(ledger::Ledger* ledger) { ledger_ = ledger; }
  // The member's account, created on first use.
  ledger::Id AccountOf(const std::string& user_id);
  absl::StatusOr<ledger::Id> Credit(std::string_view user_id, std::string_view txid, uint32_t vout,
                                    uint64_t amount_msat) override;
  int calls() const { return calls_; }
  void FailWith(absl::Status status) { fail_ = std::move(status); }

 private:
  ledger::Ledger* ledger_;
  std::map<std::string, ledger::Id> accounts_;
  int calls_ = 0;
  absl::Status fail_;
};

// Everything a watcher test needs; Restart() closes and reopens store, ledger and
// watcher, as a process restart does.
class ChainHarness {
 public:
  explicit ChainHarness(uint32_t required_confirmations = 3);
  ~ChainHarness();

  void Restart();
  ChainWatcher& watcher() { return *watcher_; }
  ReplayRpcServer& server() { return server_; }
  MapDirectory& directory() { return directory_; }
  LedgerCrediter& crediter() { return *crediter_; }
  ledger::Ledger& ledger() { return *ledger_; }

  // REQUIREs a successful poll.
  void Poll();
  // The member's posted balance in the ledger.
  uint64_t BalanceOf(const std::string& user_id);
  // The deposit txid:vout as the watcher lists it for `user_id` (REQUIREs it is there).
  v1::Deposit DepositOf(const std::string& user_id, const std::string& txid, uint32_t vout = 0);

  // Watcher options for a fresh watcher; tests may change them before Restart().
  ChainWatcherOptions options;
  BitcoinRpcOptions rpc_options;

 private:
  void Open();
  void Close();

  std::string path_;
  ReplayRpcServer server_;
  MapDirectory directory_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Store> index_store_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<LedgerCrediter> crediter_;
  std::unique_ptr<ChainWatcher> watcher_;
};

}  // namespace bitcontent::wallet::testing
