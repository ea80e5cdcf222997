// ReplayChain: a small scriptable model of a Bitcoin chain and of a Bitcoin Core wallet
// that watches it, answering getblockchaininfo and listsinceblock the way Core does
// (shapes from Core's RPC help; semantics from its wallet code):
//
// - a wallet transaction's depth is tip - height + 1 in the main chain, 0 in the
//   mempool, and minus the depth of the double-spend for a conflicted one;
// - listsinceblock(B) lists every wallet transaction with 0 <= depth < tip + 1 -
//   height(fork point of B) (all of them for an empty B), receives of conflicted
//   transactions not at all, and, when B left the main chain, the wallet transactions
//   of the detached blocks from B down to the fork point in "removed";
// - lastblock is the block at depth target_confirmations (genesis when shorter).
//
// Not a real Bitcoin Core: docs/deposits.md says the watcher is tested against this.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace bitcontent::wallet::testing {

struct ReplayOutput {
  std::string address;
  // As Core prints it, e.g. "0.00000001".
  std::string amount;
};

class ReplayChain {
 public:
  ReplayChain();

  // A wallet transaction paying `outputs` (vout = index), in the mempool. Returns its txid.
  std::string Pay(std::vector<ReplayOutput> outputs);
  std::string Pay(const std::string& address, const std::string& amount) {
    return Pay({{address, amount}});
  }
  // Mines `count` blocks; the first takes the whole mempool.
  void Mine(int count = 1);
  // Replaces the last `depth` blocks with `new_blocks` others. Transactions of the
  // dropped blocks go back to the mempool and into the first new block, except those in
  // `conflicted` (a double-spend in the first new block replaces them) and those in
  // `to_mempool` (they stay unconfirmed after the new blocks).
  void Reorg(int depth, int new_blocks, const std::set<std::string>& conflicted = {},
             const std::set<std::string>& to_mempool = {});

  uint64_t height() const { return main_.size() - 1; }
  const std::string& tip() const { return main_.back(); }
  // The main-chain block that holds `txid`, if any.
  std::optional<uint64_t> HeightOf(const std::string& txid) const;

  // JSON "result" values.
  std::string BlockchainInfoJson(const std::string& chain) const;
  // nullopt when `block_hash` is unknown (Core's -5 "Block not found").
  std::optional<std::string> SinceBlockJson(const std::string& block_hash,
                                            int64_t target_confirmations) const;

 private:
  struct Block {
    uint64_t height = 0;
    std::string previous = {};
    std::vector<std::string> txids = {};
  };
  struct Transaction {
    std::vector<ReplayOutput> outputs = {};
    uint64_t time = 0;
    // Height of the block holding the double-spend, for a conflicted transaction.
    std::optional<uint64_t> conflict_height = std::nullopt;
  };

  std::string NewHash(char kind);
  // Where `txid` is in the main chain, if anywhere.
  std::optional<uint64_t> MainHeightOf(const std::string& txid) const;
  int64_t Depth(const std::string& txid) const;
  std::string EntriesJson(const std::string& txid, bool receives_of_conflicted) const;
  bool InMain(const std::string& block_hash) const;

  uint64_t next_id_ = 1;
  std::map<std::string, Block> blocks_;  // Every block ever mined, stale ones included.
  std::vector<std::string> main_;        // The main chain by height.
  std::map<std::string, Transaction> wallet_;
  std::vector<std::string> mempool_;
};

}  // namespace bitcontent::wallet::testing
