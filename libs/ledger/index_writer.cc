#include "libs/ledger/index_writer.h"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "libs/ledger/key_builder.h"
#include "libs/ledger/keys.h"
#include "libs/ledger/record_codec.h"
#include "libs/store/key_encoding.h"

namespace bitcontent::ledger {
namespace {

// One entry of an account's history or of the reference index, before encoding.
struct IndexEntry {
  Id prefix;  // the account, or the user_data_128
  uint64_t timestamp_ns;
  char side;
  Id transfer_id;

  bool operator<(const IndexEntry& other) const {
    return std::tie(prefix, timestamp_ns) < std::tie(other.prefix, other.timestamp_ns);
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<store::Store>> OpenIndexStore(const std::string& path) {
  return store::Store::Open({.path = path,
                             .column_families = IndexColumnFamilies(),
                             .family_options = IndexColumnFamilyOptions(),
                             .memtable_size_bytes_max = kIndexMemtablesBytesMax});
}

IndexWriter::IndexWriter(store::Store* store)
    : store_(store),
      account_transfers_(store->MustFamily(kAccountTransfersFamily)),
      references_(store->MustFamily(kReferencesFamily)),
      meta_(store->MustFamily(kIndexMetaFamily)) {}

IndexWriter::~IndexWriter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<uint64_t> IndexWriter::StoredThrough() const {
  absl::StatusOr<std::string> value = store_->Get(meta_, kIndexedThroughKey);
  if (absl::IsNotFound(value.status())) return 0;
  if (!value.ok()) return value.status();
  std::optional<uint64_t> through = store::DecodeUint64(*value);
  if (!through.has_value()) return absl::DataLossError("ledger: malformed index mark");
  return *through;
}

// Both accounts of every transfer and its reference, each family's keys in ascending
// order (working_set_stage.cc says why that is faster).
absl::Status IndexWriter::Write(absl::Span<const Transfer> transfers, uint64_t through_ns) {
  std::vector<IndexEntry> history;
  std::vector<IndexEntry> references;
  history.reserve(2 * transfers.size());
  for (const Transfer& t : transfers) {
    history.push_back({t.debit_account_id, t.timestamp_ns, kDebitSide, t.id});
    history.push_back({t.credit_account_id, t.timestamp_ns, kCreditSide, t.id});
    if (!t.user_data_128.IsZero()) {
      references.push_back({t.user_data_128, t.timestamp_ns, 0, t.id});
    }
  }
  std::sort(history.begin(), history.end());
  std::sort(references.begin(), references.end());
  batch_.Clear();
  KeyBuilder key;
  KeyBuilder value;
  // One key per account of the commit, under its last entry's timestamp: a purchase's
  // fee account, in every transfer of a busy commit, is one insert, not thousands.
  std::string group;
  for (size_t i = 0; i < history.size(); ++i) {
    const IndexEntry& e = history[i];
    AppendHistoryEntry(
        {.timestamp_ns = e.timestamp_ns, .side = e.side, .transfer_id = e.transfer_id}, &group);
    if (i + 1 < history.size() && history[i + 1].prefix == e.prefix) continue;
    batch_.Put(account_transfers_, key.Of(e.prefix, e.timestamp_ns), group);
    group.clear();
  }
  for (const IndexEntry& e : references) {
    batch_.Put(references_, key.Of(e.prefix, e.timestamp_ns), value.Of(e.transfer_id));
  }
  batch_.Put(meta_, kIndexedThroughKey, store::EncodeUint64(through_ns));
  return store_->Write(&batch_, {.skip_wal = true});
}

void IndexWriter::Start(uint64_t through_ns) {
  {
    absl::MutexLock lock(&mu_);
    indexed_through_ns_ = through_ns;
  }
  thread_ = std::thread([this] { Loop(); });
}

void IndexWriter::Add(std::vector<Transfer> transfers, uint64_t through_ns) {
  absl::MutexLock lock(&mu_);
  auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return queue_.size() < kIndexQueueCommitsMax || !failure_.ok();
  };
  mu_.Await(absl::Condition(&room));
  if (!failure_.ok()) return;
  queue_.push_back({.transfers = std::move(transfers), .through_ns = through_ns});
}

void IndexWriter::Loop() {
  for (;;) {
    const Commit* commit = nullptr;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]()
                       ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !queue_.empty() || stopping_; };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping, with everything indexed
      commit = &queue_.front();    // stays put: Add only appends
    }
    // A commit that created nothing (accounts, failures, expiries) moves the mark in
    // memory only; the stored one catches up with the next write.
    const absl::Status status =
        commit->transfers.empty() ? absl::OkStatus() : Write(commit->transfers, commit->through_ns);
    absl::MutexLock lock(&mu_);
    if (status.ok()) {
      indexed_through_ns_ = commit->through_ns;
    } else {
      failure_ = status;
      queue_.clear();
      return;
    }
    queue_.pop_front();
  }
}

absl::Status IndexWriter::WaitIndexed(uint64_t timestamp_ns, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto reached = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return indexed_through_ns_ >= timestamp_ns || !failure_.ok();
  };
  mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
  if (!failure_.ok()) {
    return absl::Status(failure_.code(),
                        absl::StrCat("ledger: the history index could not be written (",
                                     failure_.message(), "); restart the service to rebuild it"));
  }
  if (indexed_through_ns_ < timestamp_ns) {
    return absl::UnavailableError("ledger: the history index is behind; try again shortly");
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::ledger
