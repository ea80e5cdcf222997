// BitcoinRpc: the few wallet and chain calls the deposit watcher makes to Bitcoin Core,
// as JSON-RPC over HTTP (libcurl), with explicit timeouts and a cap on response size.
//
//   BitcoinRpc rpc({.url = "http://127.0.0.1:18443/wallet/deposits",
//                   .cookie_file = "/var/lib/bitcoind/regtest/.cookie"});
//   absl::StatusOr<BlockchainInfo> info = rpc.GetBlockchainInfo();
//   absl::StatusOr<SinceBlock> since = rpc.ListSinceBlock(cursor, 3);
//
// Credentials are rpcuser/rpcpassword, or Core's cookie file ("__cookie__:<hex>"), which
// is read again on every call because Core writes a new one each time it starts. Every
// failure is a status naming the method and what to check: Unavailable when Core cannot
// be reached or is starting, Unauthenticated for refused credentials, and Core's own
// error objects mapped by bitcoin_rpc_reply.h. Thread-compatible: each call uses its own
// libcurl handle, so concurrent calls are fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/bitcoin/network.h"
#include "services/wallet/bitcoin_rpc_reply.h"

namespace bitcontent::wallet {

inline constexpr size_t kCookieFileBytesMax = 1024;

struct BitcoinRpcOptions {
  // "http://host:port/", or ".../wallet/<name>" to address one of several loaded
  // wallets. Credentials never go in the URL (it appears in messages).
  std::string url = {};
  // Basic auth with rpcuser/rpcpassword; used when cookie_file is empty.
  std::string user = {};
  std::string password = {};
  // Core's .cookie file; when set it wins over user/password.
  std::string cookie_file = {};
  absl::Duration connect_timeout = absl::Seconds(5);
  // The whole call, connection included. listsinceblock from genesis on a big wallet
  // is the slowest call the watcher makes.
  absl::Duration request_timeout = absl::Seconds(60);
  // Larger replies are refused (ResourceExhausted) rather than buffered.
  size_t response_bytes_max = size_t{32} << 20;
};

class BitcoinRpc {
 public:
  explicit BitcoinRpc(BitcoinRpcOptions options);

  // InvalidArgument when the options cannot work (no URL, credentials in the URL, a
  // scheme other than http/https, zero limits); call before the first RPC.
  absl::Status Validate() const;

  // getblockchaininfo: the chain's name, height and best block.
  absl::StatusOr<BlockchainInfo> GetBlockchainInfo() const;

  // listsinceblock(block_hash, target_confirmations, include_watchonly=true,
  // include_removed=true). An empty block_hash lists from genesis; otherwise it must be
  // 64 hex digits (InvalidArgument).
  absl::StatusOr<SinceBlock> ListSinceBlock(std::string_view block_hash,
                                            uint32_t target_confirmations) const;

  // Calls `method` with `params_json` (a JSON array) and returns the raw HTTP reply body
  // once the HTTP exchange worked; the reply may still hold Core's error object.
  absl::StatusOr<std::string> Call(std::string_view method, std::string_view params_json) const;

  const BitcoinRpcOptions& options() const { return options_; }

 private:
  struct Credentials {
    std::string user;
    std::string password;
  };
  absl::StatusOr<Credentials> ReadCredentials() const;

  const BitcoinRpcOptions options_;
};

// OK when Core's `chain` ("main", "test", "testnet4", "regtest", ...) is `network`;
// FailedPrecondition naming both otherwise, because deposits watched on the wrong
// network would credit coins that are not the ones members sent.
absl::Status RequireNetwork(std::string_view chain, bitcoin::Network network);

}  // namespace bitcontent::wallet
