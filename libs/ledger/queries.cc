// The read side of Ledger: lookups, account history, the reference index, the change
// feed. Everything here reads committed state only.
#include <algorithm>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/ledger/ledger.h"
#include "libs/ledger/record_codec.h"
#include "libs/store/key_encoding.h"

namespace bitcontent::ledger {
namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

absl::Status CheckLimit(size_t limit) {
  if (limit == 0 || limit > kListLimitMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("ledger: limit must be 1..", kListLimitMax, ", got ", limit));
  }
  return absl::OkStatus();
}

// The timestamps a page may hold, from a cursor and inclusive bounds: after `after`
// going forward, before `before` going back (the other end is the bounds' business).
struct Window {
  uint64_t after = 0;
  uint64_t before = kU64Max;
};

Window WindowOf(bool reversed, uint64_t cursor_ns, uint64_t min_ns, uint64_t max_ns) {
  Window w;
  if (!reversed) {
    w.after = cursor_ns;
    if (min_ns > 0) w.after = std::max(w.after, min_ns - 1);
  } else {
    if (cursor_ns != 0) w.before = cursor_ns;
    if (max_ns > 0 && max_ns < kU64Max) w.before = std::min(w.before, max_ns + 1);
  }
  return w;
}

// Where a scan of `prefix || timestamp` keys starts for `window`.
std::optional<std::string> StartAfter(const Id& prefix, bool reversed, const Window& window) {
  if (!reversed) {
    if (window.after == 0) return std::nullopt;
    return IdTimestampKey(prefix, window.after);
  }
  if (window.before == kU64Max) return std::nullopt;
  return IdTimestampKey(prefix, window.before);
}

// Where a scan of an account's history starts. Its keys are the timestamps of their
// groups' last entries and one account's groups never overlap, so going forward the
// first key past the window's start holds its first entries. Going back, the group
// holding the last entries before the window's end is the first key at or after it: the
// scan starts there (found with one seek), as far back as a group reaches.
absl::StatusOr<std::optional<std::string>> HistoryStartAfter(const store::Store& store,
                                                             store::ColumnFamily family,
                                                             const Id& account, bool reversed,
                                                             const Window& window) {
  if (!reversed || window.before == kU64Max) return StartAfter(account, reversed, window);
  const std::string prefix = IdKey(account);
  const std::string before = IdTimestampKey(account, window.before - 1);
  store::PrefixIterator it =
      store.Scan(family, {.prefix = prefix, .start_after = before, .limit = 1});
  if (!it.status().ok()) return it.status();
  if (!it.Valid()) return StartAfter(account, reversed, window);
  // Just past the straddling key, so that a reverse scan begins with it.
  return IdTimestampKey(account, *store::DecodeUint64(it.key().substr(16)) + 1);
}

// One index entry of a scan: the transfer it names and its timestamp.
struct IndexEntry {
  uint64_t timestamp_ns;
  Id transfer_id;
};

}  // namespace

absl::StatusOr<std::vector<std::optional<Transfer>>> Ledger::ReadTransfers(
    absl::Span<const Id> ids) const {
  std::vector<std::optional<Transfer>> out;
  out.reserve(ids.size());
  std::vector<std::string> keys;
  std::vector<std::string_view> views;
  for (size_t begin = 0; begin < ids.size(); begin += store::kMultiGetKeysMax) {
    const size_t end = std::min(ids.size(), begin + store::kMultiGetKeysMax);
    keys.clear();
    views.clear();
    for (size_t i = begin; i < end; ++i) keys.push_back(IdKey(ids[i]));
    for (const std::string& key : keys) views.push_back(key);
    auto values = store_->MultiGet(families_.transfers, views);
    if (!values.ok()) return values.status();
    for (size_t i = 0; i < values->size(); ++i) {
      std::optional<Transfer>& slot = out.emplace_back();
      if (!(*values)[i].has_value()) continue;
      absl::StatusOr<StoredId> stored = DecodeStoredId(ids[begin + i], *(*values)[i]);
      if (!stored.ok()) return stored.status();
      slot = stored->transfer;
    }
  }
  return out;
}

absl::Status Ledger::WaitIndexed() const {
  return index_.WaitIndexed(totals().last_timestamp_ns, kIndexWaitMax);
}

absl::StatusOr<std::vector<std::optional<Account>>> Ledger::LookupAccounts(
    absl::Span<const Id> ids) const {
  if (ids.size() > kLookupIdsMax) {
    return absl::InvalidArgumentError(absl::StrCat("ledger: at most ", kLookupIdsMax, " ids"));
  }
  std::vector<std::optional<Account>> out(ids.size());
  absl::ReaderMutexLock lock(&accounts_mu_);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (auto it = accounts_.find(ids[i]); it != accounts_.end()) out[i] = it->second;
  }
  return out;
}

absl::StatusOr<std::vector<std::optional<Transfer>>> Ledger::LookupTransfers(
    absl::Span<const Id> ids) const {
  if (ids.size() > kLookupIdsMax) {
    return absl::InvalidArgumentError(absl::StrCat("ledger: at most ", kLookupIdsMax, " ids"));
  }
  return ReadTransfers(ids);
}

absl::StatusOr<PendingState> Ledger::LookupPending(const Id& id) const {
  absl::StatusOr<std::string> value = store_->Get(families_.pending, IdKey(id));
  if (!value.ok()) return value.status();
  return DecodePendingState(*value);
}

absl::StatusOr<TransferPage> Ledger::ListAccountTransfers(const AccountTransfersFilter& f) const {
  if (absl::Status status = CheckLimit(f.limit); !status.ok()) return status;
  if (!f.debits && !f.credits) {
    return absl::InvalidArgumentError("ledger: filter matches neither debits nor credits");
  }
  if (absl::Status status = WaitIndexed(); !status.ok()) return status;
  // Each key holds a group of an account's entries under the last one's timestamp.
  // Entries outside the page's window are skipped; past the filter's range, it ends.
  const Window window =
      WindowOf(f.reversed, f.cursor_timestamp_ns, f.timestamp_min_ns, f.timestamp_max_ns);
  absl::StatusOr<std::optional<std::string>> start = HistoryStartAfter(
      index_.store(), index_.account_transfers(), f.account_id, f.reversed, window);
  if (!start.ok()) return start.status();
  store::PrefixIterator it =
      index_.store().Scan(index_.account_transfers(), {.prefix = IdKey(f.account_id),
                                                       .start_after = *start,
                                                       .reverse = f.reversed,
                                                       .limit = kListScanEntriesMax});
  TransferPage page;
  std::vector<IndexEntry> entries;
  std::vector<Id> ids;
  size_t scanned = 0;
  uint64_t last_scanned_ns = 0;
  bool range_done = false;
  bool full = false;
  // Reads index entries in chunks, then the transfers of a chunk with one MultiGet.
  while (!full && !range_done && scanned < kListScanEntriesMax && it.Valid()) {
    entries.clear();
    for (; it.Valid() && entries.size() < store::kMultiGetKeysMax; it.Next()) {
      absl::StatusOr<std::vector<HistoryEntry>> group =
          DecodeHistoryGroup(*store::DecodeUint64(it.key().substr(16)), it.value());
      if (!group.ok()) return group.status();
      if (f.reversed) std::reverse(group->begin(), group->end());
      for (const HistoryEntry& e : *group) {
        const uint64_t ts = e.timestamp_ns;
        if (ts <= window.after || ts >= window.before) continue;
        if ((f.timestamp_min_ns != 0 && ts < f.timestamp_min_ns) ||
            (f.timestamp_max_ns != 0 && ts > f.timestamp_max_ns)) {
          range_done = true;
          break;
        }
        ++scanned;
        last_scanned_ns = ts;
        if ((e.side == kDebitSide && f.debits) || (e.side == kCreditSide && f.credits)) {
          entries.push_back({ts, e.transfer_id});
        }
        if (scanned == kListScanEntriesMax) break;
      }
      if (range_done || scanned == kListScanEntriesMax) break;  // mid-group: stop here
    }
    ids.clear();
    for (const IndexEntry& e : entries) ids.push_back(e.transfer_id);
    absl::StatusOr<std::vector<std::optional<Transfer>>> transfers = ReadTransfers(ids);
    if (!transfers.ok()) return transfers.status();
    for (const std::optional<Transfer>& t : *transfers) {
      if (!t.has_value()) return absl::DataLossError("ledger: history names a missing transfer");
      if ((!f.user_data_128.IsZero() && t->user_data_128 != f.user_data_128) ||
          (f.user_data_64 != 0 && t->user_data_64 != f.user_data_64) ||
          (f.user_data_32 != 0 && t->user_data_32 != f.user_data_32) ||
          (f.code != 0 && t->code != f.code)) {
        continue;
      }
      page.transfers.push_back(*t);
      if (page.transfers.size() == f.limit) {
        full = true;
        break;
      }
    }
  }
  if (!it.status().ok()) return it.status();
  if (full) {
    // There may be more; the next page can come back empty.
    page.next_cursor_timestamp_ns = page.transfers.back().timestamp_ns;
  } else if (!range_done && scanned == kListScanEntriesMax) {
    // The scan budget ran out before the range did: a cursor to go on from.
    page.next_cursor_timestamp_ns = last_scanned_ns;
  }
  return page;
}

absl::StatusOr<TransferPage> Ledger::ListTransfersByReference(const ReferenceFilter& f) const {
  if (absl::Status status = CheckLimit(f.limit); !status.ok()) return status;
  if (absl::Status status = WaitIndexed(); !status.ok()) return status;
  const std::string prefix = IdKey(f.user_data_128);
  const std::optional<std::string> start =
      StartAfter(f.user_data_128, f.reversed, WindowOf(f.reversed, f.cursor_timestamp_ns, 0, 0));
  store::PrefixIterator it = index_.store().Scan(
      index_.references(),
      {.prefix = prefix, .start_after = start, .reverse = f.reversed, .limit = f.limit + 1});
  std::vector<Id> ids;
  for (; it.Valid(); it.Next()) ids.push_back(IdFromBytes(it.value()));
  if (!it.status().ok()) return it.status();
  const bool more = ids.size() > f.limit;
  if (more) ids.pop_back();
  absl::StatusOr<std::vector<std::optional<Transfer>>> transfers = ReadTransfers(ids);
  if (!transfers.ok()) return transfers.status();
  TransferPage page;
  for (const std::optional<Transfer>& t : *transfers) {
    if (!t.has_value()) return absl::DataLossError("ledger: reference names a missing transfer");
    page.transfers.push_back(*t);
  }
  if (more) page.next_cursor_timestamp_ns = page.transfers.back().timestamp_ns;
  return page;
}

absl::StatusOr<std::vector<TransferEvent>> Ledger::ListTransferEvents(uint64_t after_timestamp_ns,
                                                                      size_t limit,
                                                                      absl::Duration wait) const {
  if (absl::Status status = CheckLimit(limit); !status.ok()) return status;
  {
    absl::MutexLock lock(&mu_);
    auto has_new = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return totals_.last_timestamp_ns > after_timestamp_ns || stopping_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&has_new), std::min(wait, kEventsWaitMax));
  }
  // Blocks are keyed by their last event's timestamp: the first block past the cursor
  // may start before it.
  const std::string start = store::EncodeUint64(after_timestamp_ns);
  std::vector<EventEntry> entries;
  for (auto it = store_->Scan(families_.events, {.start_after = start});
       it.Valid() && entries.size() < limit; it.Next()) {
    absl::StatusOr<std::vector<EventEntry>> block = DecodeEventBlock(it.value());
    if (!block.ok()) return block.status();
    for (const EventEntry& e : *block) {
      if (e.timestamp_ns > after_timestamp_ns && entries.size() < limit) entries.push_back(e);
    }
  }
  std::vector<Id> ids;
  for (const EventEntry& e : entries) ids.push_back(e.transfer_id);
  absl::StatusOr<std::vector<std::optional<Transfer>>> transfers = ReadTransfers(ids);
  if (!transfers.ok()) return transfers.status();
  std::vector<TransferEvent> events;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!(*transfers)[i].has_value()) {
      return absl::DataLossError("ledger: an event names a missing transfer");
    }
    events.push_back({.timestamp_ns = entries[i].timestamp_ns,
                      .type = entries[i].type,
                      .transfer = *(*transfers)[i]});
  }
  return events;
}

}  // namespace bitcontent::ledger
