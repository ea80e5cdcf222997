#include "libs/store/outbox.h"

#include <optional>

#include "libs/store/key_encoding.h"

namespace bitcontent::store {
namespace {

// One past the sequence of the newest entry of `family`; 1 when it is empty (or cannot
// be read, in which case Oldest reports the error to the sender).
uint64_t NextSequence(const Store& store, ColumnFamily family) {
  uint64_t next = 1;
  for (PrefixIterator it = store.Scan(family, {}); it.Valid(); it.Next()) {
    if (const std::optional<uint64_t> sequence = DecodeUint64(it.key()); sequence.has_value()) {
      next = *sequence + 1;
    }
  }
  return next;
}

}  // namespace

Outbox::Outbox(Store& store, ColumnFamily family)
    : store_(store), family_(family), next_sequence_(NextSequence(store, family)) {}

uint64_t Outbox::Stage(WriteBatch* batch, std::string_view value) {
  const uint64_t sequence = next_sequence_.fetch_add(1);
  batch->Put(family_, EncodeUint64(sequence), value);
  return sequence;
}

void Outbox::Notify() {
  absl::MutexLock lock(&mu_);
  notified_ = true;
}

void Outbox::WaitForWork(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&notified_), timeout);
  notified_ = false;
}

absl::StatusOr<std::vector<Outbox::Entry>> Outbox::Oldest(size_t limit) const {
  std::vector<Entry> entries;
  PrefixIterator it = store_.Scan(family_, {.limit = limit});
  for (; it.Valid(); it.Next()) {
    entries.push_back({.key = std::string(it.key()), .value = std::string(it.value())});
  }
  if (!it.status().ok()) return it.status();
  return entries;
}

absl::Status Outbox::Remove(const std::vector<Entry>& entries) {
  WriteBatch batch;
  for (const Entry& entry : entries) batch.Delete(family_, entry.key);
  absl::Status written = store_.Write(&batch, {.sync = false});
  absl::MutexLock lock(&mu_);
  ++removals_;
  return written;
}

bool Outbox::AwaitRemoval(uint64_t sequence, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  const std::string key = EncodeUint64(sequence);
  absl::MutexLock lock(&mu_);
  for (;;) {
    // Counted before looking, so that a removal between the look and the wait ends it.
    const uint64_t seen = removals_;
    mu_.Unlock();
    const absl::StatusOr<std::string> entry = store_.Get(family_, key);
    mu_.Lock();
    if (absl::IsNotFound(entry.status())) return true;
    const auto removed = [this, seen]()
                             ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return removals_ != seen; };
    if (!mu_.AwaitWithDeadline(absl::Condition(&removed), deadline)) return false;
  }
}

}  // namespace bitcontent::store
