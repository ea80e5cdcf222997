// The Bitcoin network a wallet's store belongs to. Deposit addresses, deposits and payout
// addresses are all of one network, so a store made on regtest must never be served on
// testnet or mainnet: its addresses would be handed out and paid to on a chain where
// they mean something else, or nothing. The network is recorded at the first start and
// every later start checks it.
#pragma once

#include "absl/status/status.h"
#include "libs/bitcoin/network.h"
#include "services/wallet/wallet_db.h"

namespace bitcontent::wallet {

// Records `network` in the store when it holds none (a new store, or one from before the
// record existed, whose deposit addresses must then be of `network`); OK when the
// recorded network is `network`. FAILED_PRECONDITION naming both networks and what to
// do otherwise.
absl::Status CheckStoreNetwork(const WalletDb& db, bitcoin::Network network);

}  // namespace bitcontent::wallet
