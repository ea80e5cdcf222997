// LedgerDepositCrediter: the chain watcher's credits of confirmed deposits, as ledger
// transfers chain deposits -> the member's wallet. The transfer id is
// DepositTransferId(txid, vout) and the note (reference ".../deposits/{txid}:{vout}")
// is written first, so a credit repeated after a crash or a re-poll is the ledger's
// EXISTS, never a second credit.
#pragma once

#include "services/wallet/chain_watcher.h"
#include "services/wallet/member_wallets.h"
#include "services/wallet/transfer_notes.h"

namespace bitcontent::wallet {

class LedgerDepositCrediter final : public DepositCrediter {
 public:
  // Every argument must outlive this.
  LedgerDepositCrediter(ledger::Ledger* ledger, MemberWallets* wallets, TransferNotes* notes)
      : ledger_(ledger), wallets_(wallets), notes_(notes) {}

  absl::StatusOr<ledger::Id> Credit(std::string_view user_id, std::string_view txid, uint32_t vout,
                                    uint64_t amount_msat) override;

 private:
  ledger::Ledger* const ledger_;
  MemberWallets* const wallets_;
  TransferNotes* const notes_;
};

}  // namespace bitcontent::wallet
