#include "services/wallet/wallet_db.h"

#include "libs/ledger/index_writer.h"
#include "libs/ledger/keys.h"
#include "services/wallet/chain_watcher.h"

namespace bitcontent::wallet {

std::vector<std::string> WalletDb::ColumnFamilies() {
  std::vector<std::string> families = ledger::ColumnFamilies();
  for (std::string& name : ChainWatcherColumnFamilies()) families.push_back(std::move(name));
  for (const char* name :
       {"account_owners", "transfer_notes", "deposit_addresses", "user_deposit_addresses",
        "payouts", "user_payouts", "payouts_by_state", "counters", "wallet_meta"}) {
    families.emplace_back(name);
  }
  return families;
}

absl::StatusOr<std::unique_ptr<store::Store>> WalletDb::OpenStore(const std::string& path) {
  return store::Store::Open({.path = path,
                             .column_families = ColumnFamilies(),
                             .family_options = ledger::ColumnFamilyOptions()});
}

absl::StatusOr<std::unique_ptr<store::Store>> WalletDb::OpenIndexStore(const std::string& path) {
  return ledger::OpenIndexStore(path + "/" + std::string(kIndexStoreDirectory));
}

WalletDb::WalletDb(store::Store* store)
    : account_owners(store->MustFamily("account_owners")),
      transfer_notes(store->MustFamily("transfer_notes")),
      deposit_addresses(store->MustFamily("deposit_addresses")),
      user_deposit_addresses(store->MustFamily("user_deposit_addresses")),
      payouts(store->MustFamily("payouts")),
      user_payouts(store->MustFamily("user_payouts")),
      payouts_by_state(store->MustFamily("payouts_by_state")),
      counters(store->MustFamily("counters")),
      wallet_meta(store->MustFamily("wallet_meta")),
      store_(store) {}

}  // namespace bitcontent::wallet
