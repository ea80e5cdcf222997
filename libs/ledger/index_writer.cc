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
bool IndexWriter::Reference::operator<(const Reference& other) const {
  return std::tie(user_data_128, timestamp_ns) < std::tie(other.user_data_128, other.timestamp_ns);
}

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

absl::Status IndexWriter::Write(absl::Span<const Transfer> transfers, uint64_t through_ns) {
  Gather(transfers, through_ns);
  return WriteGathered();
}

void IndexWriter::Gather(absl::Span<const Transfer> transfers, uint64_t through_ns) {
  if (gathered_.entries == 0) gathered_.first_at = absl::Now();
  for (const Transfer& t : transfers) {
    AppendEntry(t.debit_account_id, t.timestamp_ns, kDebitSide, t.id);
    AppendEntry(t.credit_account_id, t.timestamp_ns, kCreditSide, t.id);
    if (!t.user_data_128.IsZero()) {
      gathered_.references.push_back({t.user_data_128, t.timestamp_ns, t.id});
    }
  }
  gathered_.through_ns = through_ns;
}

void IndexWriter::AppendEntry(const Id& account, uint64_t timestamp_ns, char side,
                              const Id& transfer_id) {
  std::string& group = gathered_.groups[account];
  AppendHistoryEntry({.timestamp_ns = timestamp_ns, .side = side, .transfer_id = transfer_id},
                     &group);
  ++gathered_.entries;
  if (group.size() < kHistoryGroupEntriesMax * kHistoryEntryBytes) return;
  gathered_.full_groups.emplace_back(account, std::move(group));
  group.clear();
}

// Each group under its account and last entry's timestamp, then the references, each
// family's keys in ascending order (working_set_stage.cc says why that is faster).
absl::Status IndexWriter::WriteGathered() {
  struct Keyed {
    Id account;
    uint64_t last_ns;
    const std::string* group;
    bool operator<(const Keyed& other) const {
      return std::tie(account, last_ns) < std::tie(other.account, other.last_ns);
    }
  };
  std::vector<Keyed> keyed;
  keyed.reserve(gathered_.groups.size() + gathered_.full_groups.size());
  auto add = [&](const Id& account, const std::string& group) {
    if (!group.empty()) keyed.push_back({account, LastHistoryTimestamp(group), &group});
  };
  for (const auto& [account, group] : gathered_.groups) add(account, group);
  for (const auto& [account, group] : gathered_.full_groups) add(account, group);
  std::sort(keyed.begin(), keyed.end());
  std::sort(gathered_.references.begin(), gathered_.references.end());
  batch_.Clear();
  KeyBuilder key;
  KeyBuilder value;
  for (const Keyed& k : keyed) {
    batch_.Put(account_transfers_, key.Of(k.account, k.last_ns), *k.group);
  }
  for (const Reference& r : gathered_.references) {
    batch_.Put(references_, key.Of(r.user_data_128, r.timestamp_ns), value.Of(r.transfer_id));
  }
  batch_.Put(meta_, kIndexedThroughKey, store::EncodeUint64(gathered_.through_ns));
  gathered_ = {};
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
  std::deque<Commit> taken;
  for (;;) {
    bool write = false;
    bool stop = false;
    {
      absl::MutexLock lock(&mu_);
      const bool gathering = gathered_.entries > 0;
      auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queue_.empty() || stopping_ || (gathering && readers_waiting_ > 0);
      };
      mu_.AwaitWithDeadline(absl::Condition(&ready), gathering
                                                         ? gathered_.first_at + kIndexBufferAgeMax
                                                         : absl::InfiniteFuture());
      taken.swap(queue_);
      stop = stopping_ && taken.empty();
    }
    for (const Commit& commit : taken) Gather(commit.transfers, commit.through_ns);
    const uint64_t through_ns = gathered_.through_ns;
    {
      absl::MutexLock lock(&mu_);
      // A commit that created nothing (accounts, failures, expiries) moves the mark in
      // memory only; the stored one catches up with the next write.
      if (gathered_.entries == 0) {
        if (!taken.empty()) indexed_through_ns_ = through_ns;
      } else {
        write = stop || readers_waiting_ > 0 || gathered_.entries >= kIndexBufferEntriesMax ||
                absl::Now() >= gathered_.first_at + kIndexBufferAgeMax;
      }
    }
    taken.clear();
    if (write) {
      const absl::Status status = WriteGathered();
      absl::MutexLock lock(&mu_);
      if (!status.ok()) {
        failure_ = status;
        queue_.clear();
        return;
      }
      indexed_through_ns_ = through_ns;
    }
    if (stop) return;
  }
}

absl::Status IndexWriter::WaitIndexed(uint64_t timestamp_ns, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto reached = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return indexed_through_ns_ >= timestamp_ns || !failure_.ok();
  };
  ++readers_waiting_;
  mu_.AwaitWithTimeout(absl::Condition(&reached), timeout);
  --readers_waiting_;
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
