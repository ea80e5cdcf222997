// WalletHistory: a member's wallet history (`bitcontent wallet history`), newest first.
//
// Each line is one ledger transfer touching the wallet. A hold (a pending transfer) and
// its later post, void or expiry are one line whose state follows the hold, so the
// post or void is not listed on its own. The page token is the ledger's timestamp
// cursor in decimal. Thread-safe.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"
#include "libs/ledger/ledger.h"
#include "services/wallet/member_wallets.h"
#include "services/wallet/transfer_notes.h"

namespace bitcontent::wallet {

class WalletHistory {
 public:
  static constexpr int32_t kPageSizeDefault = 50, kPageSizeMax = 1000;

  WalletHistory(const ledger::Ledger* ledger, const MemberWallets* wallets,
                const TransferNotes* notes)
      : ledger_(ledger), wallets_(wallets), notes_(notes) {}

  // The page of `user_id`'s history that `request` asks for; INVALID_ARGUMENT for a bad
  // page token, page size, time range or reference.
  absl::StatusOr<v1::ListWalletTransactionsResponse> List(
      std::string_view user_id, const v1::ListWalletTransactionsRequest& request) const;

 private:
  absl::StatusOr<v1::WalletTransaction> Line(
      const ledger::Id& account, const ledger::Transfer& transfer,
      const std::optional<storage::TransferNote>& note) const;

  const ledger::Ledger* const ledger_;
  const MemberWallets* const wallets_;
  const TransferNotes* const notes_;
};

// The user_data_128 a history reference stands for: the id in hex of
// "purchases/{id}", "streamSessions/{id}", ".../payments/{id}", ".../payouts/{id}", or
// the deposit transfer of ".../deposits/{txid}:{vout}".
absl::StatusOr<ledger::Id> ReferenceId(std::string_view reference);

}  // namespace bitcontent::wallet
