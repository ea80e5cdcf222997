// WorkingSet::Stage: a commit's changes as WriteBatch operations, each family's keys in
// ascending order (but the accounts', below), each key built in place.
//
// Why sorted: RocksDB inserts every operation of a batch into a skip list per family,
// and a batch of 8,000 transfers is about 17,000 of them (its indexes go to the index
// store, index_writer.h). In hash-map order each insert
// searches the list from the top, a chain of cache misses, and that was half of a
// commit's time. In key order each insert starts from where the previous one ended (the
// skip list remembers it), so the cost falls to a short walk. Every key appears at most
// once per family in a commit, so the order changes nothing but speed.
#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "libs/ledger/invariant.h"
#include "libs/ledger/key_builder.h"
#include "libs/ledger/keys.h"
#include "libs/ledger/working_set.h"
#include "libs/store/key_encoding.h"

namespace bitcontent::ledger {
namespace {

// The entries of `map` as (id, value) pairs sorted by id; the ids are copied so that
// sorting compares without chasing pointers.
template <typename Map>
std::vector<std::pair<Id, const typename Map::mapped_type*>> SortedById(const Map& map) {
  std::vector<std::pair<Id, const typename Map::mapped_type*>> entries;
  entries.reserve(map.size());
  for (const auto& [id, value] : map) entries.emplace_back(id, &value);
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return entries;
}

}  // namespace

void WorkingSet::Stage(const Families& families, store::WriteBatch* batch) const {
  LEDGER_ASSERT(!in_chain_);
  LEDGER_ASSERT(totals_.Balanced());
  KeyBuilder key;
  std::string value;
  // In any order: the accounts family's memtable is a vector (keys.h), an insert an
  // append, sorted once when flushed.
  for (const auto& [id, account] : accounts_) {
    // No touched account past its flag constraint.
    LEDGER_ASSERT(WithinConstraints(account));
    value.clear();
    EncodeAccount(account, &value);
    batch->Put(families.accounts, key.Of(id), value);
  }
  for (const auto& [id, stored] : SortedById(new_ids_)) {
    value.clear();
    if (stored->transfer.has_value()) {
      EncodeTransfer(*stored->transfer, &value);
    } else {
      EncodeFailure(stored->failure, &value);
    }
    batch->Put(families.transfers, key.Of(id), value);
  }
  for (const auto& [id, state] : SortedById(pending_)) {
    value.clear();
    EncodePendingState(*state, &value);
    batch->Put(families.pending, key.Of(id), value);
    if (state->expires_at_ns == 0) continue;
    const std::string expiry_key = ExpiryKey(state->expires_at_ns, id);
    if (state->status != PendingStatus::kPending) {
      batch->Delete(families.expiry, expiry_key);
    } else if (auto created = new_ids_.find(id); created != new_ids_.end()) {
      const Transfer& t = *created->second.transfer;
      value.clear();
      EncodeExpiryEntry({t.debit_account_id, t.credit_account_id, t.amount_msat}, &value);
      batch->Put(families.expiry, expiry_key, value);
    }
  }
  if (!events_.empty()) {
    value.clear();
    for (const EventEntry& event : events_) AppendEventEntry(event, &value);
    batch->Put(families.events, store::EncodeUint64(events_.back().timestamp_ns), value);
  }
  value.clear();
  EncodeTotals(totals_, &value);
  batch->Put(families.meta, kTotalsKey, value);
}

}  // namespace bitcontent::ledger
