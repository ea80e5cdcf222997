// PrefixIterator: walks the keys of one column family that start with a prefix, in order.
//
// Get one from Store::Scan. The iteration stops at the end of the prefix (RocksDB is given
// an upper bound computed from the prefix, so it never reads past it), after `limit`
// entries, or on an error. For cursor pagination pass the last key of the previous page as
// `start_after`, and ask for page_size + 1 entries to learn whether another page exists.
// With a snapshot the iterator sees the store as of that snapshot; without one it sees
// the state when it was created. With `reverse` the keys come out in descending order
// (newest first for keys that end in a timestamp) and `start_after` means "strictly
// before". Destroy it before its Store; a moved-from iterator may only be destroyed or
// assigned to.
//
//   PrefixIterator it = store.Scan(users, {.prefix = "user/", .limit = 100});
//   for (; it.Valid(); it.Next()) Use(it.key(), it.value());
//   if (!it.status().ok()) return it.status();
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "libs/store/column_family.h"

namespace rocksdb {
class DB;
struct ReadOptions;
}  // namespace rocksdb

namespace bitcontent::store {

class Snapshot;

struct ScanOptions {
  // Only keys that start with these bytes; empty means every key of the family.
  std::string_view prefix = {};
  // When set, start at the first key strictly greater than this one (strictly smaller
  // with `reverse`).
  std::optional<std::string_view> start_after = std::nullopt;
  // Walk the prefix from its last key to its first.
  bool reverse = false;
  // At most this many entries. Request handlers always pass their page size.
  size_t limit = std::numeric_limits<size_t>::max();
  // When set, read the store as of this snapshot.
  const Snapshot* snapshot = nullptr;
};

class PrefixIterator {
 public:
  PrefixIterator(PrefixIterator&& other) noexcept;
  PrefixIterator& operator=(PrefixIterator&& other) noexcept;
  ~PrefixIterator();

  // True while positioned at an entry; false at the end of the prefix, after `limit`
  // entries, or on an error (see status()).
  bool Valid() const;
  // Moves to the next entry. Requires Valid().
  void Next();
  // The current key and value; they stay valid until Next(). Require Valid().
  std::string_view key() const;
  std::string_view value() const;
  // OK unless reading failed; check it once Valid() is false.
  absl::Status status() const;

 private:
  friend class Store;
  struct State;

  // Positions a new iterator at the first entry of the scan.
  static PrefixIterator Start(rocksdb::DB* db, ColumnFamily family, const ScanOptions& options);
  // Start for options.reverse: positions at the last entry before options.start_after.
  static PrefixIterator StartReverse(rocksdb::DB* db, ColumnFamily family,
                                     const ScanOptions& options, std::unique_ptr<State> state,
                                     rocksdb::ReadOptions& read_options);
  explicit PrefixIterator(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace bitcontent::store
