// One poll of the ChainWatcher: what Bitcoin Core says -> deposit records and cursor ->
// credits. docs/deposits.md explains why each step is safe to interrupt.
#include <algorithm>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/log.h"
#include "services/wallet/bitcoin_amount.h"
#include "services/wallet/chain_watcher.h"

namespace bitcontent::wallet {

// What one poll learnt about one deposit output.
struct DepositObservation {
  WalletEntry entry;
  std::string user_id;
  // Off the chain: conflicted (negative confirmations), only in "removed", or no longer
  // listed although it would be if it were still in the chain or the mempool.
  bool removed = false;
};

namespace {

// listsinceblock's lastblock is all zeros when the chain is shorter than the target
// depth; there is no block to continue from yet.
bool IsNoBlock(const std::string& hash) { return hash.find_first_not_of('0') == std::string::npos; }

storage::DepositRecord NewRecord(const DepositObservation& seen, absl::Time now) {
  storage::DepositRecord record;
  record.set_user_id(seen.user_id);
  v1::Deposit* deposit = record.mutable_deposit();
  deposit->set_name(DepositName(seen.user_id, seen.entry.txid, seen.entry.vout));
  deposit->set_address(seen.entry.address);
  deposit->set_txid(seen.entry.txid);
  deposit->set_vout(seen.entry.vout);
  deposit->set_amount_msat(static_cast<uint64_t>(seen.entry.amount_satoshi) * kMsatPerSatoshi);
  *deposit->mutable_detect_time() = auth::ProtoFromTime(now);
  return record;
}

// A credited deposit is final: the ledger has the money. If its transaction leaves the
// chain all that is left to do is to say so loudly.
std::optional<storage::DepositRecord> NextCredited(const DepositObservation& seen,
                                                   const storage::DepositRecord& before) {
  // Back in the mempool (0) is off the chain too.
  const bool off_chain = seen.removed || seen.entry.confirmations <= 0;
  if (!off_chain || before.removed_after_credit()) return std::nullopt;
  kit::Log(spdlog::level::err,
           "a credited deposit left the chain (reorg deeper than the required "
           "confirmations); the credit stands, an operator must review it",
           {{"deposit", before.deposit().name()}});
  storage::DepositRecord after = before;
  after.set_removed_after_credit(true);
  return after;
}

// What the record of `seen` becomes; nullopt when nothing changes.
absl::StatusOr<std::optional<storage::DepositRecord>> NextRecord(
    const DepositObservation& seen, const std::optional<storage::DepositRecord>& before,
    uint32_t required_confirmations, absl::Time now) {
  storage::DepositRecord after = before.value_or(NewRecord(seen, now));
  if (before.has_value()) {
    // An output's address and value are fixed by its txid; a different answer means
    // the node is not the one the records came from, which someone must look at.
    const storage::DepositRecord fresh = NewRecord(seen, now);
    if (fresh.deposit().address() != before->deposit().address() ||
        fresh.deposit().amount_msat() != before->deposit().amount_msat() ||
        fresh.user_id() != before->user_id()) {
      return absl::DataLossError(absl::StrCat(
          "Bitcoin Core now reports deposit ", before->deposit().name(),
          " with another address, amount or owner than recorded; polling stops until an "
          "operator checks --bitcoin_rpc_url"));
    }
    if (before->deposit().state() == v1::DEPOSIT_STATE_CREDITED) {
      return NextCredited(seen, *before);
    }
  }
  v1::Deposit* deposit = after.mutable_deposit();
  deposit->set_required_confirmations(required_confirmations);
  if (seen.removed) {
    deposit->set_state(v1::DEPOSIT_STATE_REMOVED);
    deposit->set_confirmations(0);
  } else {
    // Back in the chain or the mempool: a removed deposit is followed again.
    deposit->set_state(v1::DEPOSIT_STATE_CONFIRMING);
    deposit->set_confirmations(static_cast<uint32_t>(
        std::min<int64_t>(seen.entry.confirmations, std::numeric_limits<uint32_t>::max())));
  }
  if (before.has_value() && before->deposit().state() == deposit->state() &&
      before->deposit().confirmations() == deposit->confirmations() &&
      before->deposit().required_confirmations() == required_confirmations) {
    return std::nullopt;
  }
  return after;
}

// An observation of `record` having left the chain.
DepositObservation Vanished(const storage::DepositRecord& record) {
  const v1::Deposit& deposit = record.deposit();
  WalletEntry entry{.txid = deposit.txid(),
                    .vout = deposit.vout(),
                    .address = deposit.address(),
                    .category = "receive",
                    .amount_satoshi = static_cast<int64_t>(deposit.amount_msat() / kMsatPerSatoshi),
                    .confirmations = -1};
  return {std::move(entry), record.user_id(), /*removed=*/true};
}

}  // namespace

absl::Status ChainWatcher::Poll() {
  absl::StatusOr<BlockchainInfo> info = rpc_->GetBlockchainInfo();
  absl::Status fetched = info.status();
  if (fetched.ok()) fetched = RequireNetwork(info->chain, options_.network);
  if (fetched.ok()) {
    absl::MutexLock lock(&status_mu_);
    tip_height_ = info->blocks;
  }
  absl::StatusOr<storage::ChainCursor> cursor = deposits_.Cursor();
  if (fetched.ok()) fetched = cursor.status();
  if (fetched.ok()) {
    absl::StatusOr<SinceBlock> since =
        rpc_->ListSinceBlock(cursor->block_hash(), options_.required_confirmations);
    fetched = since.status();
    if (absl::IsNotFound(fetched) && !cursor->block_hash().empty()) {
      fetched = absl::FailedPreconditionError(absl::StrCat(
          fetched.message(), "; the node does not know the cursor block ", cursor->block_hash(),
          " (another or a resynced node?); see docs/deposits.md"));
    }
    if (fetched.ok()) fetched = Record(*since, *info);
  }
  // Deposits already recorded as confirmed are credited even when Core cannot be asked
  // right now: their confirmations were counted on an earlier poll.
  const absl::Status credited = CreditDue();
  return fetched.ok() ? credited : fetched;
}

absl::StatusOr<std::vector<DepositObservation>> ChainWatcher::Observe(
    const SinceBlock& since) const {
  absl::flat_hash_map<std::string, std::optional<std::string>> owners;
  absl::flat_hash_map<std::string, size_t> seen;  // Deposit key -> index in `out`.
  std::vector<DepositObservation> out;
  auto observe = [&](const WalletEntry& entry, bool in_removed) -> absl::Status {
    if (entry.category != "receive" || entry.address.empty()) return absl::OkStatus();
    auto owner = owners.find(entry.address);
    if (owner == owners.end()) {
      absl::StatusOr<std::optional<std::string>> found = directory_->OwnerOf(entry.address);
      if (!found.ok()) return found.status();
      owner = owners.emplace(entry.address, *std::move(found)).first;
    }
    if (!owner->second.has_value()) return absl::OkStatus();
    if (entry.amount_satoshi <= 0) {
      return absl::UnknownError(absl::StrCat("listsinceblock lists a receive of ",
                                             entry.amount_satoshi, " satoshi in ", entry.txid));
    }
    // "removed" also lists transactions that came back; "transactions" says where.
    if (in_removed && entry.confirmations > 0) return absl::OkStatus();
    DepositObservation observation{entry, *owner->second, in_removed || entry.confirmations < 0};
    const auto [it, inserted] = seen.try_emplace(DepositKey(entry.txid, entry.vout), out.size());
    if (inserted) {
      out.push_back(std::move(observation));
    } else if (!in_removed && entry.confirmations > out[it->second].entry.confirmations) {
      out[it->second] = std::move(observation);
    }
    return absl::OkStatus();
  };
  for (const WalletEntry& entry : since.transactions) {
    if (absl::Status s = observe(entry, false); !s.ok()) return s;
  }
  for (const WalletEntry& entry : since.removed) {
    if (absl::Status s = observe(entry, true); !s.ok()) return s;
  }
  return out;
}

absl::Status ChainWatcher::Record(const SinceBlock& since, const BlockchainInfo& info) {
  absl::StatusOr<std::vector<DepositObservation>> observations = Observe(since);
  if (!observations.ok()) return observations.status();
  if (absl::Status s = AddVanished(&*observations); !s.ok()) return s;
  storage::ChainCursor cursor;
  if (!IsNoBlock(since.last_block)) {
    const uint64_t depth = options_.required_confirmations;
    cursor.set_block_hash(since.last_block);
    cursor.set_height(info.blocks + 1 >= depth ? info.blocks + 1 - depth : 0);
  }
  const absl::Time now = options_.now();
  // One commit per chunk, the cursor with the last: it moves only once every deposit
  // this reply mentions is recorded.
  const size_t count = observations->size();
  size_t start = 0;
  do {
    const size_t end = std::min(count, start + store::kMultiGetKeysMax);
    std::vector<std::string> keys;
    for (size_t i = start; i < end; ++i) {
      const WalletEntry& entry = (*observations)[i].entry;
      keys.push_back(DepositKey(entry.txid, entry.vout));
    }
    auto before = deposits_.FindMany(keys);
    if (!before.ok()) return before.status();
    DepositChanges changes;
    for (size_t i = start; i < end; ++i) {
      const std::optional<storage::DepositRecord>& stored = (*before)[i - start];
      auto after = NextRecord((*observations)[i], stored, options_.required_confirmations, now);
      if (!after.ok()) return after.status();
      if (after->has_value()) changes.Put(stored, **std::move(after));
    }
    if (end == count) changes.SetCursor(cursor);
    if (absl::Status s = deposits_.Commit(changes); !s.ok()) return s;
    start = end;
  } while (start < count);
  return absl::OkStatus();
}

// listsinceblock from the cursor lists again every wallet transaction with fewer
// confirmations than the cursor's depth, mempool ones (0) included, but not receives
// whose transaction was double-spent (negative depth), and it names nothing in
// "removed" while the cursor block itself stays in the chain. So a deposit recorded
// below the required confirmations that this reply leaves out has been conflicted by a
// reorg shallower than the cursor: it is removed. Deposits at or above the requirement
// may legitimately be left out (they sit at or below the cursor); a reorg that reaches
// them also detaches the cursor block and lists them in "removed".
absl::Status ChainWatcher::AddVanished(std::vector<DepositObservation>* observations) const {
  absl::StatusOr<std::vector<storage::DepositRecord>> confirming = deposits_.Confirming();
  if (!confirming.ok()) return confirming.status();
  absl::flat_hash_set<std::string> listed;
  for (const DepositObservation& observation : *observations) {
    listed.insert(DepositKey(observation.entry.txid, observation.entry.vout));
  }
  for (const storage::DepositRecord& record : *confirming) {
    const v1::Deposit& deposit = record.deposit();
    if (deposit.confirmations() >= options_.required_confirmations) continue;
    if (listed.contains(DepositKey(deposit.txid(), deposit.vout()))) continue;
    observations->push_back(Vanished(record));
  }
  return absl::OkStatus();
}

absl::Status ChainWatcher::CreditDue() {
  absl::StatusOr<std::vector<storage::DepositRecord>> confirming = deposits_.Confirming();
  if (!confirming.ok()) return confirming.status();
  absl::Status failed;
  DepositChanges changes;
  size_t attempts = 0;
  for (const storage::DepositRecord& record : *confirming) {
    const v1::Deposit& deposit = record.deposit();
    if (deposit.confirmations() < options_.required_confirmations) continue;
    if (attempts++ == options_.credits_per_poll_max) break;
    absl::StatusOr<ledger::Id> transfer_id =
        crediter_->Credit(record.user_id(), deposit.txid(), deposit.vout(), deposit.amount_msat());
    if (!transfer_id.ok()) {
      // The others are still credited; this one stays due and is retried next poll.
      if (failed.ok()) {
        failed =
            absl::Status(transfer_id.status().code(), absl::StrCat("crediting ", deposit.name(),
                                                                   " failed (retried at "
                                                                   "the next poll): ",
                                                                   transfer_id.status().message()));
      }
      continue;
    }
    storage::DepositRecord after = record;
    after.mutable_deposit()->set_state(v1::DEPOSIT_STATE_CREDITED);
    after.mutable_deposit()->set_transfer_id(ledger::IdToBytes(*transfer_id));
    *after.mutable_deposit()->mutable_credit_time() = auth::ProtoFromTime(options_.now());
    changes.Put(record, std::move(after));
  }
  if (changes.size() > 0) {
    if (absl::Status s = deposits_.Commit(changes); !s.ok()) return s;
  }
  return failed;
}

}  // namespace bitcontent::wallet
