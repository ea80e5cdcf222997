// MemberWallets: the ledger accounts behind members' wallets and the platform's system
// accounts, and the Wallet view of an account.
//
// A member's account id is derived from the user id (wallet_ids.h), so every service
// can name a wallet without asking; Ensure creates the account (and the record of who
// owns it) the first time the wallet is used or paid, idempotently. Member accounts
// carry debits_must_not_exceed_credits: a wallet can never be overdrawn, pending holds
// included. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/wallet/v1/wallet.pb.h"
#include "bitcontent/wallet/v1/wallet_internal_service.pb.h"
#include "libs/ledger/ledger.h"
#include "services/wallet/transfer_notes.h"
#include "services/wallet/wallet_db.h"

namespace bitcontent::wallet {

// What a new member wallet gets: `msat` (0: nothing), booked from the operator
// adjustments account, with a note in `notes`.
struct WelcomeCredit {
  uint64_t msat = 0;
  TransferNotes* notes = nullptr;
};

class MemberWallets {
 public:
  // `db`, `ledger` and welcome.notes must outlive this.
  MemberWallets(const WalletDb& db, ledger::Ledger* ledger, WelcomeCredit welcome = {})
      : db_(db), ledger_(ledger), welcome_(welcome) {}

  // Creates the platform's accounts if missing; called once at start.
  absl::Status CreateSystemAccounts();
  // The ids of the platform's accounts.
  static v1::GetSystemAccountsResponse SystemAccounts();

  // The member's account, created if missing (with the welcome credit); idempotent.
  absl::StatusOr<ledger::Account> Ensure(std::string_view user_id);
  // The member's account; nullopt when it was never created.
  absl::StatusOr<std::optional<ledger::Account>> Find(std::string_view user_id) const;
  // "users/{user}/wallet" for a member's account, "system/..." for a system account,
  // empty when unknown.
  absl::StatusOr<std::string> NameOf(const ledger::Id& account_id) const;

  // The wallet view of `account`; unconfirmed_msat comes from the chain watcher.
  static v1::Wallet View(std::string_view user_id, const ledger::Account& account,
                         uint64_t unconfirmed_msat);

 private:
  const WalletDb& db_;
  ledger::Ledger* const ledger_;
  const WelcomeCredit welcome_;
};

// "users/{user}/wallet".
std::string WalletName(std::string_view user_id);

}  // namespace bitcontent::wallet
