// The wallet service's RocksDB: the ledger's column families (libs/ledger) and the
// wallet's own, which hold what the ledger does not: who owns an account, payment memos,
// deposit addresses and payout requests.
//
// User ids are 26 characters (libs/ids), payout ids 32 and ledger ids 16 bytes, so
// composite keys "a || b" need no separator and a prefix scan on a user id lists that
// member's entries in creation order.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/store/store.h"

namespace bitcontent::wallet {

inline constexpr std::string_view kIndexStoreDirectory = "ledger-index";

class WalletDb {
 public:
  // Every family of the store: the ledger's, the chain watcher's and those below.
  static std::vector<std::string> ColumnFamilies();
  // Opens (or creates) the store at `path` with ColumnFamilies().
  static absl::StatusOr<std::unique_ptr<store::Store>> OpenStore(const std::string& path);
  // Opens (or creates) the ledger's index store (libs/ledger/index_writer.h) in the
  // directory kIndexStoreDirectory of `path`: what it holds is rebuilt from the store at
  // `path` when missing.
  static absl::StatusOr<std::unique_ptr<store::Store>> OpenIndexStore(const std::string& path);
  // Resolves the families of a store opened by OpenStore. The store must outlive this.
  explicit WalletDb(store::Store* store);
  store::Store& store() const { return *store_; }

  // ledger account id -> storage::AccountOwner.
  const store::ColumnFamily account_owners;
  // transfer id -> storage::TransferNote.
  const store::ColumnFamily transfer_notes;
  // address -> storage::DepositAddressRecord.
  const store::ColumnFamily deposit_addresses;
  // user id || derivation index (4 bytes) -> address: a member's addresses in order.
  const store::ColumnFamily user_deposit_addresses;
  // payout id (the hex of its hold's id) -> storage::PayoutRecord.
  const store::ColumnFamily payouts;
  // user id || request time (8 bytes, ns) || payout id -> "": a member's payouts in order.
  const store::ColumnFamily user_payouts;
  // state (1 byte) || request time || payout id -> "": payouts by state, oldest first.
  const store::ColumnFamily payouts_by_state;
  // counter name -> 8 bytes big-endian ("next_address_index").
  const store::ColumnFamily counters;
  // "bitcoin_network" -> the network's name, recorded at the first start
  // (network_record.h).
  const store::ColumnFamily wallet_meta;

 private:
  store::Store* const store_;
};

}  // namespace bitcontent::wallet
