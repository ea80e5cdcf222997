// The deposit chain watcher's flags, and the options the wallet's main.cc builds the
// watcher from. Like every flag (libs/kit/flags.h) each can also come from the
// environment: BITCONTENT_BITCOIN_RPC_PASSWORD keeps the password out of `ps`.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/bitcoin/network.h"
#include "services/wallet/bitcoin_rpc.h"
#include "services/wallet/chain_watcher.h"

ABSL_DECLARE_FLAG(std::string, bitcoin_rpc_url);
ABSL_DECLARE_FLAG(std::string, bitcoin_rpc_user);
ABSL_DECLARE_FLAG(std::string, bitcoin_rpc_password);
ABSL_DECLARE_FLAG(std::string, bitcoin_rpc_cookie_file);
ABSL_DECLARE_FLAG(uint32_t, deposit_confirmations);
ABSL_DECLARE_FLAG(absl::Duration, chain_poll_interval);
ABSL_DECLARE_FLAG(std::string, bitcoin_network);

namespace bitcontent::wallet {

// "mainnet", "testnet" or "regtest"; InvalidArgument naming --bitcoin_network otherwise.
absl::StatusOr<bitcoin::Network> ParseNetwork(std::string_view name);

struct ChainConfig {
  ChainWatcherOptions watcher;
  // nullptr when --bitcoin_rpc_url is empty: the watcher is disabled.
  std::unique_ptr<BitcoinRpc> rpc;
};

// The watcher's options and RPC client from the flags, validated.
absl::StatusOr<ChainConfig> ChainConfigFromFlags();

}  // namespace bitcontent::wallet
