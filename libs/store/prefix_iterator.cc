#include "libs/store/prefix_iterator.h"

#include <string>
#include <utility>

#include "libs/store/errors.h"
#include "libs/store/key_encoding.h"
#include "libs/store/snapshot.h"
#include "rocksdb/db.h"

namespace bitcontent::store {

// Lives on the heap so that the bound, which RocksDB reads through a pointer to a Slice,
// keeps its address when the PrefixIterator moves.
struct PrefixIterator::State {
  std::string upper_bound;
  rocksdb::Slice upper_bound_slice;
  std::string lower_bound;
  rocksdb::Slice lower_bound_slice;
  bool reverse = false;
  std::unique_ptr<rocksdb::Iterator> iterator;
  std::string_view family_name;
  size_t remaining = 0;  // Entries still allowed by the limit, counting the current one.
};

PrefixIterator PrefixIterator::Start(rocksdb::DB* db, ColumnFamily family,
                                     const ScanOptions& options) {
  auto state = std::make_unique<State>();
  state->family_name = family.name();
  state->remaining = options.limit;
  rocksdb::ReadOptions read_options;
  if (options.snapshot != nullptr) {
    read_options.snapshot = options.snapshot->snapshot_;
  }
  // Every key in [prefix, upper bound) starts with the prefix; without a bound (a prefix
  // of only 0xff bytes) every key at or after the prefix does.
  if (std::optional<std::string> bound = PrefixUpperBound(options.prefix)) {
    state->upper_bound = *std::move(bound);
    state->upper_bound_slice = rocksdb::Slice(state->upper_bound);
    read_options.iterate_upper_bound = &state->upper_bound_slice;
  }
  state->reverse = options.reverse;
  if (options.reverse) {
    return StartReverse(db, family, options, std::move(state), read_options);
  }
  state->iterator.reset(db->NewIterator(read_options, family.handle_));

  rocksdb::Iterator& iterator = *state->iterator;
  const std::string_view prefix = options.prefix;
  if (options.start_after.has_value() && *options.start_after >= prefix) {
    const std::string_view after = *options.start_after;
    iterator.Seek(rocksdb::Slice(after.data(), after.size()));
    if (iterator.Valid() && iterator.key() == rocksdb::Slice(after.data(), after.size())) {
      iterator.Next();
    }
  } else {
    iterator.Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  }
  return PrefixIterator(std::move(state));
}

PrefixIterator PrefixIterator::StartReverse(rocksdb::DB* db, ColumnFamily family,
                                            const ScanOptions& options,
                                            std::unique_ptr<State> state,
                                            rocksdb::ReadOptions& read_options) {
  // The lower bound keeps a backward walk from stepping into the keys before the prefix.
  state->lower_bound = std::string(options.prefix);
  state->lower_bound_slice = rocksdb::Slice(state->lower_bound);
  read_options.iterate_lower_bound = &state->lower_bound_slice;
  state->iterator.reset(db->NewIterator(read_options, family.handle_));

  rocksdb::Iterator& iterator = *state->iterator;
  if (options.start_after.has_value()) {
    const rocksdb::Slice before(options.start_after->data(), options.start_after->size());
    iterator.SeekForPrev(before);
    if (iterator.Valid() && iterator.key() == before) {
      iterator.Prev();
    }
  } else {
    iterator.SeekToLast();
  }
  return PrefixIterator(std::move(state));
}

PrefixIterator::PrefixIterator(std::unique_ptr<State> state) : state_(std::move(state)) {}
PrefixIterator::PrefixIterator(PrefixIterator&& other) noexcept = default;
PrefixIterator& PrefixIterator::operator=(PrefixIterator&& other) noexcept = default;
PrefixIterator::~PrefixIterator() = default;

bool PrefixIterator::Valid() const { return state_->remaining > 0 && state_->iterator->Valid(); }

void PrefixIterator::Next() {
  // Stepping past the last allowed entry would read a block for nothing.
  if (--state_->remaining > 0) {
    if (state_->reverse) {
      state_->iterator->Prev();
    } else {
      state_->iterator->Next();
    }
  }
}

std::string_view PrefixIterator::key() const {
  rocksdb::Slice key = state_->iterator->key();
  return {key.data(), key.size()};
}

std::string_view PrefixIterator::value() const {
  rocksdb::Slice value = state_->iterator->value();
  return {value.data(), value.size()};
}

absl::Status PrefixIterator::status() const {
  return ToAbslStatus(state_->iterator->status(), "Scan", state_->family_name);
}

}  // namespace bitcontent::store
