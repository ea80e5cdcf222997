// The replies of Bitcoin Core's getblockchaininfo and listsinceblock, and how their JSON
// bodies are read (simdjson On-Demand, so amounts can be read from the number's text).
//
// A JSON-RPC reply is {"result": ..., "error": ..., "id": ...}. Core answers version 1.0
// requests that fail with HTTP 500 and an error object, and 2.0 ones with HTTP 200; both
// shapes are read here. An error object becomes a status whose code follows Core's
// error code (MapCoreError) and whose message names the method and Core's words.
// Everything in a reply is untrusted: every field is checked (txids and block hashes are
// 64 hex digits, vout fits 32 bits, amounts are exact satoshi) and a malformed reply is
// an error, never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace bitcontent::wallet {

// Entries one listsinceblock reply may carry (transactions plus removed).
inline constexpr size_t kSinceBlockEntriesMax = 1'000'000;
inline constexpr size_t kTxidHexSize = 64;

struct BlockchainInfo {
  // "main", "test", "testnet4", "signet" or "regtest".
  std::string chain = {};
  // Height of the best block.
  uint64_t blocks = 0;
  std::string best_block_hash = {};
};

// One entry of listsinceblock's "transactions" or "removed": one output (or input) of a
// wallet transaction.
struct WalletEntry {
  std::string txid = {};
  uint32_t vout = 0;
  // Empty when Core gives none (some "send" entries).
  std::string address = {};
  // "receive", "send", "generate", "immature" or "orphan".
  std::string category = {};
  // Signed: "send" entries are negative.
  int64_t amount_satoshi = 0;
  // In the main chain: >= 1; in the mempool (or nowhere): 0; conflicted: negative, the
  // depth of the conflicting transaction.
  int64_t confirmations = 0;
  // Set only for confirmed transactions.
  std::string block_hash = {};
  uint64_t block_height = 0;
};

struct SinceBlock {
  std::vector<WalletEntry> transactions = {};
  // Entries of blocks that left the main chain since the given block (only when that
  // block itself is no longer in the main chain). Re-added ones may show confirmations.
  std::vector<WalletEntry> removed = {};
  // The block at depth target_confirmations: pass it to the next call. All zeros when
  // the chain is shorter than that.
  std::string last_block = {};
};

// Bitcoin Core's error codes the watcher reacts to (src/rpc/protocol.h).
inline constexpr int64_t kCoreInvalidAddressOrKey = -5;  // Also "Block not found".
inline constexpr int64_t kCoreWalletNotFound = -18;
inline constexpr int64_t kCoreWalletNotSpecified = -19;
inline constexpr int64_t kCoreInWarmup = -28;
inline constexpr int64_t kCoreMethodNotFound = -32601;

// A status for Core's error {code, message} from `method`.
absl::Status MapCoreError(std::string_view method, int64_t code, std::string_view message);

// Parses a whole reply body of the method. The error object wins over the result.
absl::StatusOr<BlockchainInfo> ParseBlockchainInfoReply(std::string_view body);
absl::StatusOr<SinceBlock> ParseSinceBlockReply(std::string_view body);

// True for 64 hex digits (a txid or block hash as Core prints them).
bool IsHash256Hex(std::string_view text);

}  // namespace bitcontent::wallet
