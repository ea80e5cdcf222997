#include "services/wallet/deposit_store.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/kit/pagination.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"

namespace bitcontent::wallet {
namespace {

constexpr char kCursorKey[] = "cursor";
constexpr char kCountersKey[] = "counters";
// A page token is the sequence of the page's last deposit, as 16 hex digits.
constexpr size_t kPageTokenSize = 16;

std::string UserPrefix(std::string_view user_id) { return absl::StrCat(std::string(user_id), "/"); }

std::string UserDepositKey(std::string_view user_id, uint64_t sequence) {
  std::string key = UserPrefix(user_id);
  store::AppendUint64(&key, sequence);
  return key;
}

bool IsConfirming(const storage::DepositRecord& record) {
  return record.deposit().state() == v1::DEPOSIT_STATE_CONFIRMING;
}

// Adds `delta` to the count of deposits in `state`; DataLoss if it would go negative.
absl::Status AddToCount(storage::ChainCounters* counters, v1::DepositState state, int delta) {
  uint64_t count = 0;
  switch (state) {
    case v1::DEPOSIT_STATE_CONFIRMING:
      count = counters->confirming_count();
      break;
    case v1::DEPOSIT_STATE_CREDITED:
      count = counters->credited_count();
      break;
    case v1::DEPOSIT_STATE_REMOVED:
      count = counters->removed_count();
      break;
    default:
      return absl::OkStatus();
  }
  if (delta < 0 && count == 0) {
    return absl::DataLossError("chain_meta counters disagree with the deposits");
  }
  count = delta < 0 ? count - 1 : count + 1;
  switch (state) {
    case v1::DEPOSIT_STATE_CONFIRMING:
      counters->set_confirming_count(count);
      break;
    case v1::DEPOSIT_STATE_CREDITED:
      counters->set_credited_count(count);
      break;
    default:
      counters->set_removed_count(count);
      break;
  }
  return absl::OkStatus();
}

absl::Status CountState(storage::ChainCounters* counters,
                        const std::optional<storage::DepositRecord>& before,
                        const storage::DepositRecord& after) {
  if (before.has_value()) {
    if (absl::Status s = AddToCount(counters, before->deposit().state(), -1); !s.ok()) return s;
  }
  if (absl::Status s = AddToCount(counters, after.deposit().state(), +1); !s.ok()) return s;
  if (after.removed_after_credit() && !(before.has_value() && before->removed_after_credit())) {
    counters->set_removed_after_credit_count(counters->removed_after_credit_count() + 1);
  }
  return absl::OkStatus();
}

int64_t UnconfirmedOf(const storage::DepositRecord& record) {
  return IsConfirming(record) ? static_cast<int64_t>(record.deposit().amount_msat()) : 0;
}

}  // namespace

std::vector<std::string> ChainWatcherColumnFamilies() {
  return {std::string(kDepositsFamily), std::string(kUserDepositsFamily),
          std::string(kUserUnconfirmedFamily), std::string(kConfirmingFamily),
          std::string(kChainMetaFamily)};
}

std::string DepositKey(std::string_view txid, uint32_t vout) {
  std::string key(txid);
  store::AppendUint32(&key, vout);
  return key;
}

std::string DepositName(std::string_view user_id, std::string_view txid, uint32_t vout) {
  return absl::StrCat("users/", std::string(user_id), "/wallet/deposits/", std::string(txid), ":",
                      vout);
}

void DepositChanges::Put(std::optional<storage::DepositRecord> before,
                         storage::DepositRecord after) {
  changes_.push_back({std::move(before), std::move(after)});
}

DepositStore::DepositStore(store::Store* store)
    : store_(store),
      deposits_(store->MustFamily(kDepositsFamily)),
      user_deposits_(store->MustFamily(kUserDepositsFamily)),
      user_unconfirmed_(store->MustFamily(kUserUnconfirmedFamily)),
      confirming_(store->MustFamily(kConfirmingFamily)),
      meta_(store->MustFamily(kChainMetaFamily)) {}

absl::StatusOr<std::optional<storage::DepositRecord>> DepositStore::Find(std::string_view txid,
                                                                         uint32_t vout) const {
  return store::FindRecord<storage::DepositRecord>(*store_, deposits_, DepositKey(txid, vout));
}

absl::StatusOr<std::vector<std::optional<storage::DepositRecord>>> DepositStore::FindMany(
    const std::vector<std::string>& keys) const {
  std::vector<std::string_view> views(keys.begin(), keys.end());
  auto values = store_->MultiGet(deposits_, views);
  if (!values.ok()) return values.status();
  std::vector<std::optional<storage::DepositRecord>> records;
  records.reserve(values->size());
  for (const std::optional<std::string>& value : *values) {
    if (!value.has_value()) {
      records.emplace_back();
      continue;
    }
    auto record = store::ParseRecord<storage::DepositRecord>(deposits_, *value);
    if (!record.ok()) return record.status();
    records.emplace_back(*std::move(record));
  }
  return records;
}

absl::StatusOr<storage::ChainCursor> DepositStore::Cursor() const {
  auto cursor = store::FindRecord<storage::ChainCursor>(*store_, meta_, kCursorKey);
  if (!cursor.ok()) return cursor.status();
  return cursor->value_or(storage::ChainCursor());
}

absl::StatusOr<storage::ChainCounters> DepositStore::Counters() const {
  auto counters = store::FindRecord<storage::ChainCounters>(*store_, meta_, kCountersKey);
  if (!counters.ok()) return counters.status();
  return counters->value_or(storage::ChainCounters());
}

absl::StatusOr<v1::ListDepositsResponse> DepositStore::List(std::string_view user_id,
                                                            int32_t page_size,
                                                            std::string_view page_token) const {
  absl::StatusOr<size_t> size = kit::PageSizeOf(
      page_size, {.default_size = kDepositPageSizeDefault, .max = kDepositPageSizeMax});
  if (!size.ok()) return size.status();
  uint64_t after_sequence = 0;
  if (!page_token.empty() &&
      (page_token.size() != kPageTokenSize ||
       !absl::SimpleHexAtoi(absl::string_view(page_token.data(), page_token.size()),
                            &after_sequence))) {
    return absl::InvalidArgumentError("page_token is not a next_page_token of ListDeposits");
  }
  const std::string prefix = UserPrefix(user_id);
  const std::string after = UserDepositKey(user_id, after_sequence);
  store::PrefixIterator it = store_->Scan(
      user_deposits_,
      {.prefix = prefix,
       .start_after = page_token.empty() ? std::nullopt : std::optional<std::string_view>(after),
       .reverse = true,
       .limit = *size + 1});
  std::vector<std::string> keys;
  for (; it.Valid(); it.Next()) keys.emplace_back(it.value());
  if (!it.status().ok()) return it.status();
  const bool more = keys.size() > *size;
  if (more) keys.pop_back();
  auto records = FindMany(keys);
  if (!records.ok()) return records.status();
  v1::ListDepositsResponse response;
  for (const std::optional<storage::DepositRecord>& record : *records) {
    if (!record.has_value()) return absl::DataLossError("chain_user_deposits names a lost deposit");
    *response.add_deposits() = record->deposit();
    if (more) response.set_next_page_token(absl::StrFormat("%016x", record->sequence()));
  }
  return response;
}

absl::StatusOr<uint64_t> DepositStore::UnconfirmedMsat(std::string_view user_id) const {
  absl::StatusOr<std::string> value = store_->Get(user_unconfirmed_, user_id);
  if (absl::IsNotFound(value.status())) return 0;
  if (!value.ok()) return value.status();
  std::optional<uint64_t> msat = store::DecodeUint64(*value);
  if (!msat.has_value()) return absl::DataLossError("unreadable chain_user_unconfirmed value");
  return *msat;
}

absl::StatusOr<std::vector<storage::DepositRecord>> DepositStore::Confirming() const {
  std::vector<storage::DepositRecord> confirming;
  store::PrefixIterator it = store_->Scan(confirming_, {.limit = kConfirmingDepositsMax + 1});
  std::vector<std::string> keys;
  auto read_keys = [&]() -> absl::Status {
    auto records = FindMany(keys);
    if (!records.ok()) return records.status();
    for (std::optional<storage::DepositRecord>& record : *records) {
      if (!record.has_value()) return absl::DataLossError("chain_confirming names a lost deposit");
      confirming.push_back(*std::move(record));
    }
    keys.clear();
    return absl::OkStatus();
  };
  for (; it.Valid(); it.Next()) {
    keys.emplace_back(it.key());
    if (keys.size() == store::kMultiGetKeysMax) {
      if (absl::Status s = read_keys(); !s.ok()) return s;
    }
  }
  if (!it.status().ok()) return it.status();
  if (absl::Status s = read_keys(); !s.ok()) return s;
  if (confirming.size() > kConfirmingDepositsMax) {
    return absl::ResourceExhaustedError(
        absl::StrCat("more than ", kConfirmingDepositsMax, " deposits are confirming at once"));
  }
  return confirming;
}

absl::Status DepositStore::Commit(const DepositChanges& changes) {
  if (changes.size() > kDepositChangesMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("at most ", kDepositChangesMax, " deposit changes per commit"));
  }
  absl::MutexLock lock(&commit_mu_);
  absl::StatusOr<storage::ChainCounters> counters = Counters();
  if (!counters.ok()) return counters.status();
  store::WriteBatch batch;
  absl::flat_hash_set<std::string> seen;
  absl::flat_hash_map<std::string, int64_t> unconfirmed_delta;
  for (const DepositChanges::Change& change : changes.changes_) {
    storage::DepositRecord after = change.after;
    const std::string key = DepositKey(after.deposit().txid(), after.deposit().vout());
    if (!seen.insert(key).second) {
      return absl::InternalError(
          absl::StrCat("deposit ", after.deposit().name(), " changed twice in one commit"));
    }
    if (change.before.has_value()) {
      after.set_sequence(change.before->sequence());
      unconfirmed_delta[after.user_id()] -= UnconfirmedOf(*change.before);
    } else {
      after.set_sequence(counters->next_sequence());
      counters->set_next_sequence(counters->next_sequence() + 1);
      batch.Put(user_deposits_, UserDepositKey(after.user_id(), after.sequence()), key);
    }
    unconfirmed_delta[after.user_id()] += UnconfirmedOf(after);
    if (absl::Status s = CountState(&*counters, change.before, after); !s.ok()) return s;
    if (IsConfirming(after)) {
      batch.Put(confirming_, key, "");
    } else {
      batch.Delete(confirming_, key);
    }
    store::PutRecord(&batch, deposits_, key, after);
  }
  for (const auto& [user_id, delta] : unconfirmed_delta) {
    if (delta == 0) continue;
    absl::StatusOr<uint64_t> current = UnconfirmedMsat(user_id);
    if (!current.ok()) return current.status();
    const int64_t next = static_cast<int64_t>(*current) + delta;
    if (next < 0) return absl::DataLossError("chain_user_unconfirmed disagrees with deposits");
    if (next == 0) {
      batch.Delete(user_unconfirmed_, user_id);
    } else {
      batch.Put(user_unconfirmed_, user_id, store::EncodeUint64(static_cast<uint64_t>(next)));
    }
  }
  if (changes.cursor_.has_value()) store::PutRecord(&batch, meta_, kCursorKey, *changes.cursor_);
  store::PutRecord(&batch, meta_, kCountersKey, *counters);
  return store_->Write(&batch, {.sync = true});
}

}  // namespace bitcontent::wallet
