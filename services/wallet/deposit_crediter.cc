#include "services/wallet/deposit_crediter.h"

#include "absl/strings/str_cat.h"
#include "services/wallet/transfer_outcome.h"

namespace bitcontent::wallet {

absl::StatusOr<ledger::Id> LedgerDepositCrediter::Credit(std::string_view user_id,
                                                         std::string_view txid, uint32_t vout,
                                                         uint64_t amount_msat) {
  if (absl::StatusOr<ledger::Account> account = wallets_->Ensure(user_id); !account.ok()) {
    return account.status();
  }
  const ledger::Id id = DepositTransferId(txid, vout);
  storage::TransferNote note;
  note.set_reference(absl::StrCat(WalletName(user_id), "/deposits/", std::string(txid), ":", vout));
  if (absl::StatusOr<storage::TransferNote> stored = notes_->PutIfAbsent(id, note); !stored.ok()) {
    return stored.status();
  }
  const ledger::Transfer transfer = {
      .id = id,
      .debit_account_id = SystemAccountId(v1::ACCOUNT_CODE_CHAIN_DEPOSITS),
      .credit_account_id = MemberAccountId(user_id),
      .amount_msat = amount_msat,
      .user_data_128 = id,
      .ledger = kBitcoinLedger,
      .code = v1::TRANSFER_CODE_DEPOSIT};
  if (absl::Status credited = Submit(ledger_, {&transfer, 1}); !credited.ok()) return credited;
  return id;
}

}  // namespace bitcontent::wallet
