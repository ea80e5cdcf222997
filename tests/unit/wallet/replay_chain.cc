#include "tests/unit/wallet/replay_chain.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace bitcontent::wallet::testing {
namespace {

constexpr uint64_t kGenesisTime = 1'700'000'000;
constexpr uint64_t kBlockSeconds = 600;

}  // namespace

ReplayChain::ReplayChain() {
  const std::string genesis = NewHash('0');
  blocks_[genesis] = Block{};
  main_.push_back(genesis);
}

std::string ReplayChain::NewHash(char kind) { return absl::StrFormat("%c%063x", kind, next_id_++); }

std::string ReplayChain::Pay(std::vector<ReplayOutput> outputs) {
  const std::string txid = NewHash('a');
  wallet_[txid] = Transaction{.outputs = std::move(outputs),
                              .time = kGenesisTime + height() * kBlockSeconds + 1};
  mempool_.push_back(txid);
  return txid;
}

void ReplayChain::Mine(int count) {
  for (int i = 0; i < count; ++i) {
    const std::string hash = NewHash('b');
    blocks_[hash] = Block{.height = height() + 1, .previous = tip(), .txids = std::move(mempool_)};
    mempool_.clear();
    main_.push_back(hash);
  }
}

void ReplayChain::Reorg(int depth, int new_blocks, const std::set<std::string>& conflicted,
                        const std::set<std::string>& to_mempool) {
  std::vector<std::string> held;
  for (int i = 0; i < depth; ++i) {
    for (const std::string& txid : blocks_[tip()].txids) {
      if (conflicted.contains(txid)) continue;  // Double-spent below.
      if (to_mempool.contains(txid)) {
        held.push_back(txid);
      } else {
        mempool_.push_back(txid);
      }
    }
    main_.pop_back();
  }
  // Every conflict is in the first new block.
  for (auto& [txid, tx] : wallet_) {
    if (conflicted.contains(txid)) tx.conflict_height = height() + 1;
  }
  if (new_blocks == 0) std::abort();  // A double-spend needs a block to be in.
  Mine(new_blocks);
  mempool_.insert(mempool_.end(), held.begin(), held.end());
}

std::optional<uint64_t> ReplayChain::MainHeightOf(const std::string& txid) const {
  for (const std::string& hash : main_) {
    const Block& block = blocks_.at(hash);
    for (const std::string& id : block.txids) {
      if (id == txid) return block.height;
    }
  }
  return std::nullopt;
}

std::optional<uint64_t> ReplayChain::HeightOf(const std::string& txid) const {
  return MainHeightOf(txid);
}

int64_t ReplayChain::Depth(const std::string& txid) const {
  const Transaction& tx = wallet_.at(txid);
  const auto tip_height = static_cast<int64_t>(height());
  if (tx.conflict_height.has_value()) {
    return -(tip_height - static_cast<int64_t>(*tx.conflict_height) + 1);
  }
  std::optional<uint64_t> at = MainHeightOf(txid);
  return at.has_value() ? tip_height - static_cast<int64_t>(*at) + 1 : 0;
}

bool ReplayChain::InMain(const std::string& block_hash) const {
  const Block& block = blocks_.at(block_hash);
  return block.height < main_.size() && main_[block.height] == block_hash;
}

std::string ReplayChain::EntriesJson(const std::string& txid, bool receives_of_conflicted) const {
  const Transaction& tx = wallet_.at(txid);
  const int64_t depth = Depth(txid);
  // Core lists receives only at depth >= 0, except in "removed".
  if (depth < 0 && !receives_of_conflicted) return "";
  std::optional<uint64_t> at = MainHeightOf(txid);
  std::vector<std::string> entries;
  for (size_t vout = 0; vout < tx.outputs.size(); ++vout) {
    std::string block;
    if (at.has_value()) {
      block = absl::StrCat(R"("blockhash": ")", main_[*at], R"(", "blockheight": )", *at,
                           R"(, "blockindex": 1, "blocktime": )",
                           kGenesisTime + *at * kBlockSeconds, ", ");
    } else {
      block = R"("trusted": false, )";
    }
    entries.push_back(absl::StrCat(
        R"({"involvesWatchonly": true, "address": ")", tx.outputs[vout].address,
        R"(", "category": "receive", "amount": )", tx.outputs[vout].amount,
        R"(, "label": "", "vout": )", vout, R"(, "confirmations": )", depth, ", ", block,
        R"("txid": ")", txid, R"(", "wtxid": ")", txid, R"(", "walletconflicts": [], "time": )",
        tx.time, R"(, "timereceived": )", tx.time, R"(, "bip125-replaceable": "no"})"));
  }
  return absl::StrJoin(entries, ", ");
}

std::string ReplayChain::BlockchainInfoJson(const std::string& chain) const {
  return absl::StrCat(
      R"({"chain": ")", chain, R"(", "blocks": )", height(), R"(, "headers": )", height(),
      R"(, "bestblockhash": ")", tip(), R"(", "difficulty": 4.656542373906925e-10, "time": )",
      kGenesisTime + height() * kBlockSeconds,
      R"(, "verificationprogress": 1, "initialblockdownload": false, )",
      R"("chainwork": "00", "size_on_disk": 293, "pruned": false, "warnings": ""})");
}

std::optional<std::string> ReplayChain::SinceBlockJson(const std::string& block_hash,
                                                       int64_t target_confirmations) const {
  const auto tip_height = static_cast<int64_t>(height());
  int64_t bound = -1;  // Every transaction.
  std::vector<std::string> removed;
  if (!block_hash.empty()) {
    if (!blocks_.contains(block_hash)) return std::nullopt;
    std::string walk = block_hash;
    // The detached blocks from the given one down to the fork point.
    while (!InMain(walk)) {
      for (const std::string& txid : blocks_.at(walk).txids) {
        if (std::string e = EntriesJson(txid, true); !e.empty()) removed.push_back(e);
      }
      walk = blocks_.at(walk).previous;
    }
    bound = tip_height + 1 - static_cast<int64_t>(blocks_.at(walk).height);
  }
  std::vector<std::string> transactions;
  for (const auto& [txid, tx] : wallet_) {
    if (bound != -1 && std::abs(Depth(txid)) >= bound) continue;
    if (std::string e = EntriesJson(txid, false); !e.empty()) transactions.push_back(e);
  }
  const int64_t target = std::min(target_confirmations, tip_height + 1);
  return absl::StrCat(R"({"transactions": [)", absl::StrJoin(transactions, ", "),
                      R"(], "removed": [)", absl::StrJoin(removed, ", "), R"(], "lastblock": ")",
                      main_[static_cast<size_t>(tip_height + 1 - target)], R"("})");
}

}  // namespace bitcontent::wallet::testing
