#include "services/wallet/chain_flags.h"

#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, bitcoin_rpc_url, "",
          "Bitcoin Core's JSON-RPC URL, e.g. http://127.0.0.1:8332/wallet/deposits; empty "
          "disables the deposit chain watcher");
ABSL_FLAG(std::string, bitcoin_rpc_user, "", "rpcuser for Bitcoin Core (or use a cookie file)");
ABSL_FLAG(std::string, bitcoin_rpc_password, "",
          "rpcpassword for Bitcoin Core; prefer BITCONTENT_BITCOIN_RPC_PASSWORD or a cookie file");
ABSL_FLAG(std::string, bitcoin_rpc_cookie_file, "",
          "Bitcoin Core's .cookie file; wins over --bitcoin_rpc_user/--bitcoin_rpc_password");
ABSL_FLAG(uint32_t, deposit_confirmations, 3,
          "confirmations a deposit needs before it is credited (1 to 1000)");
ABSL_FLAG(absl::Duration, chain_poll_interval, absl::Seconds(30),
          "how often the chain watcher asks Bitcoin Core for new transactions");
ABSL_FLAG(std::string, bitcoin_network, "regtest",
          "mainnet, testnet or regtest: the network of deposit addresses and of Bitcoin Core");

namespace bitcontent::wallet {

absl::StatusOr<bitcoin::Network> ParseNetwork(std::string_view name) {
  if (name == "mainnet") return bitcoin::Network::kMainnet;
  if (name == "testnet") return bitcoin::Network::kTestnet;
  if (name == "regtest") return bitcoin::Network::kRegtest;
  return absl::InvalidArgumentError(absl::StrCat(
      "--bitcoin_network must be mainnet, testnet or regtest, got \"", std::string(name), "\""));
}

absl::StatusOr<ChainConfig> ChainConfigFromFlags() {
  absl::StatusOr<bitcoin::Network> network = ParseNetwork(absl::GetFlag(FLAGS_bitcoin_network));
  if (!network.ok()) return network.status();
  ChainConfig config;
  config.watcher.network = *network;
  config.watcher.required_confirmations = absl::GetFlag(FLAGS_deposit_confirmations);
  config.watcher.poll_interval = absl::GetFlag(FLAGS_chain_poll_interval);
  if (config.watcher.poll_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--chain_poll_interval must be positive");
  }
  const std::string url = absl::GetFlag(FLAGS_bitcoin_rpc_url);
  if (!url.empty()) {
    config.rpc = std::make_unique<BitcoinRpc>(
        BitcoinRpcOptions{.url = url,
                          .user = absl::GetFlag(FLAGS_bitcoin_rpc_user),
                          .password = absl::GetFlag(FLAGS_bitcoin_rpc_password),
                          .cookie_file = absl::GetFlag(FLAGS_bitcoin_rpc_cookie_file)});
    if (absl::Status s = config.rpc->Validate(); !s.ok()) return s;
  }
  if (config.watcher.required_confirmations < 1 ||
      config.watcher.required_confirmations > kRequiredConfirmationsMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("--deposit_confirmations must be 1 to ", kRequiredConfirmationsMax));
  }
  return config;
}

}  // namespace bitcontent::wallet
