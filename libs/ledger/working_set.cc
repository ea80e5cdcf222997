#include "libs/ledger/working_set.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "libs/ledger/invariant.h"
#include "libs/ledger/key_builder.h"
#include "libs/ledger/keys.h"
#include "libs/store/key_encoding.h"

namespace bitcontent::ledger {
namespace {

// Looks `ids` up in `family` in chunks MultiGet accepts, calling found(id, value).
template <typename Found>
absl::Status MultiGetAll(const store::Store& store, store::ColumnFamily family,
                         absl::Span<const Id> ids, Found found) {
  // The keys side by side in one buffer: a 16-byte std::string is an allocation each.
  constexpr size_t kKeyBytes = 16;
  std::string keys(std::min(ids.size(), store::kMultiGetKeysMax) * kKeyBytes, '\0');
  std::vector<std::string_view> views;
  for (size_t begin = 0; begin < ids.size(); begin += store::kMultiGetKeysMax) {
    const size_t end = std::min(ids.size(), begin + store::kMultiGetKeysMax);
    views.clear();
    KeyBuilder key;
    for (size_t i = begin; i < end; ++i) {
      char* slot = keys.data() + (i - begin) * kKeyBytes;
      std::memcpy(slot, key.Of(ids[i]).data(), kKeyBytes);
      views.emplace_back(slot, kKeyBytes);
    }
    auto values = store.MultiGet(family, views);
    if (!values.ok()) return values.status();
    for (size_t i = 0; i < values->size(); ++i) {
      if (!(*values)[i].has_value()) continue;
      absl::Status status = found(ids[begin + i], *(*values)[i]);
      if (!status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace

WorkingSet::WorkingSet(const AccountMap& committed, const Totals& totals, uint64_t now_ns)
    : committed_(committed), now_ns_(now_ns), totals_(totals) {}

absl::Status WorkingSet::Prefetch(const store::Store& store, const Families& families,
                                  absl::Span<const Id> transfer_ids,
                                  absl::Span<const Id> pending_ids) {
  absl::Status status = MultiGetAll(store, families.transfers, transfer_ids,
                                    [&](const Id& id, std::string_view value) {
                                      absl::StatusOr<StoredId> stored = DecodeStoredId(id, value);
                                      if (!stored.ok()) return stored.status();
                                      stored_ids_.insert_or_assign(id, *std::move(stored));
                                      return absl::OkStatus();
                                    });
  if (!status.ok()) return status;
  return MultiGetAll(store, families.pending, pending_ids,
                     [&](const Id& id, std::string_view value) {
                       absl::StatusOr<PendingState> state = DecodePendingState(value);
                       if (!state.ok()) return state.status();
                       stored_pending_.insert_or_assign(id, *state);
                       return absl::OkStatus();
                     });
}

void WorkingSet::Reserve(size_t transfers) {
  accounts_.reserve(2 * transfers);
  new_ids_.reserve(transfers);
  new_transfers_.reserve(transfers);
  events_.reserve(transfers);
}

uint64_t WorkingSet::PeekTimestamp() const {
  return std::max(now_ns_, totals_.last_timestamp_ns + 1);
}

uint64_t WorkingSet::TakeTimestamp() {
  totals_.last_timestamp_ns = PeekTimestamp();
  return totals_.last_timestamp_ns;
}

const Account* WorkingSet::FindAccount(const Id& id) const {
  if (auto it = accounts_.find(id); it != accounts_.end()) return &it->second;
  if (auto it = committed_.find(id); it != committed_.end()) return &it->second;
  return nullptr;
}

Account& WorkingSet::MutableAccount(const Id& id) {
  auto it = accounts_.find(id);
  if (in_chain_) {
    undo_.push_back(
        {.kind = Undo::kAccount,
         .id = id,
         .account = it == accounts_.end() ? std::nullopt : std::optional<Account>(it->second)});
  }
  if (it != accounts_.end()) return it->second;
  auto committed = committed_.find(id);
  LEDGER_ASSERT(committed != committed_.end());
  return accounts_.emplace(id, committed->second).first->second;
}

void WorkingSet::CreateAccount(const Account& account) {
  LEDGER_ASSERT(FindAccount(account.id) == nullptr);
  if (in_chain_) undo_.push_back({.kind = Undo::kAccount, .id = account.id});
  accounts_.emplace(account.id, account);
  new_accounts_.push_back(account.id);
  ++totals_.account_count;
}

const StoredId* WorkingSet::FindId(const Id& id) const {
  if (auto it = new_ids_.find(id); it != new_ids_.end()) return &it->second;
  if (auto it = stored_ids_.find(id); it != stored_ids_.end()) return &it->second;
  return nullptr;
}

void WorkingSet::CreateTransfer(const Transfer& transfer) {
  // Each id once: a transfer is only ever written under an unused id.
  LEDGER_ASSERT(FindId(transfer.id) == nullptr);
  if (in_chain_) undo_.push_back({.kind = Undo::kId, .id = transfer.id});
  new_ids_.emplace(transfer.id, StoredId{.transfer = transfer});
  new_transfers_.push_back(transfer.id);
  events_.push_back({.timestamp_ns = transfer.timestamp_ns,
                     .type = TransferEventType::kCreated,
                     .transfer_id = transfer.id});
  ++totals_.transfer_count;
}

void WorkingSet::RecordFailure(const Id& id, CreateTransferResult failure) {
  LEDGER_ASSERT(FindId(id) == nullptr);
  LEDGER_ASSERT(!in_chain_);
  new_ids_.emplace(id, StoredId{.transfer = std::nullopt, .failure = failure});
}

const PendingState* WorkingSet::FindPending(const Id& id) const {
  if (auto it = pending_.find(id); it != pending_.end()) return &it->second;
  if (auto it = stored_pending_.find(id); it != stored_pending_.end()) return &it->second;
  return nullptr;
}

void WorkingSet::SetPending(const Id& id, const PendingState& state) {
  auto it = pending_.find(id);
  if (in_chain_) {
    undo_.push_back(
        {.kind = Undo::kPending,
         .id = id,
         .pending = it == pending_.end() ? std::nullopt : std::optional<PendingState>(it->second)});
  }
  pending_.insert_or_assign(id, state);
}

std::vector<Transfer> WorkingSet::NewTransfers() const {
  std::vector<Transfer> transfers;
  transfers.reserve(new_transfers_.size());
  for (const Id& id : new_transfers_) transfers.push_back(*new_ids_.at(id).transfer);
  return transfers;
}

void WorkingSet::AddExpiredEvent(uint64_t timestamp_ns, const Id& pending_id) {
  LEDGER_ASSERT(!in_chain_);
  events_.push_back({.timestamp_ns = timestamp_ns,
                     .type = TransferEventType::kExpired,
                     .transfer_id = pending_id});
}

void WorkingSet::BeginChain() {
  LEDGER_ASSERT(!in_chain_);
  in_chain_ = true;
  undo_.clear();
  mark_ = {.totals = totals_,
           .new_transfers = new_transfers_.size(),
           .new_accounts = new_accounts_.size(),
           .events = events_.size(),
           .undo = 0};
}

void WorkingSet::CommitChain() {
  LEDGER_ASSERT(in_chain_);
  in_chain_ = false;
  undo_.clear();
}

void WorkingSet::RollbackChain() {
  LEDGER_ASSERT(in_chain_);
  for (auto undo = undo_.rbegin(); undo != undo_.rend(); ++undo) {
    switch (undo->kind) {
      case Undo::kAccount:
        if (undo->account.has_value()) {
          accounts_.insert_or_assign(undo->id, *undo->account);
        } else {
          accounts_.erase(undo->id);
        }
        break;
      case Undo::kId:
        new_ids_.erase(undo->id);
        break;
      case Undo::kPending:
        if (undo->pending.has_value()) {
          pending_.insert_or_assign(undo->id, *undo->pending);
        } else {
          pending_.erase(undo->id);
        }
        break;
    }
  }
  // Timestamps taken by the chain stay taken: they only need to be unique and increasing.
  const uint64_t last_timestamp_ns = totals_.last_timestamp_ns;
  totals_ = mark_.totals;
  totals_.last_timestamp_ns = last_timestamp_ns;
  new_transfers_.resize(mark_.new_transfers);
  new_accounts_.resize(mark_.new_accounts);
  events_.resize(mark_.events);
  in_chain_ = false;
  undo_.clear();
}

}  // namespace bitcontent::ledger
