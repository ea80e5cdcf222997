// Store: a RocksDB database behind absl::Status, for the stateful services.
//
// Open one Store per service process on the service's data directory, resolve its column
// families once with Family(), then read and write through the handles. Single writes
// (Put, Delete) and WriteBatch commits each say whether they are synced to disk. Reads
// can be pinned to a Snapshot; prefix scans go through Scan(). Every error is an
// absl::Status whose message names the operation and the column family; a missing key is
// NotFound. No method throws.
//
// A Store is safe to use from many threads at once: after Open it holds no mutable state
// of its own, and RocksDB synchronises its own. Snapshots, iterators and family handles
// must not outlive the Store. Only one Store (in any process) can have a directory open;
// a second Open fails with Unavailable.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "libs/store/column_family.h"
#include "libs/store/prefix_iterator.h"
#include "libs/store/snapshot.h"
#include "libs/store/store_options.h"
#include "libs/store/write_batch.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace bitcontent::store {

inline constexpr size_t kMultiGetKeysMax = 1024;

class Store {
 public:
  // Opens (or creates) the database at options.path with its column families. Fails with
  // Unavailable when another process or another Store holds the directory's lock,
  // NotFound when there is no database and create_if_missing is false.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const StoreOptions& options);

  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  // Closes the database. Snapshots and iterators must be gone by then.
  ~Store();

  // The handle of the column family `name`; NotFound when the database has no such family.
  absl::StatusOr<ColumnFamily> Family(std::string_view name) const;

  // Like Family, for a family the service opened the store with: a missing one means
  // the store was opened some other way, a programming error, so it prints the reason
  // and aborts before the service serves anything.
  ColumnFamily MustFamily(std::string_view name) const;

  // The value of `key`, or NotFound. With a snapshot, as of that snapshot.
  absl::StatusOr<std::string> Get(ColumnFamily family, std::string_view key,
                                  const Snapshot* snapshot = nullptr) const;

  // The values of `keys` in order, nullopt for a missing key; one consistent read.
  // At most kMultiGetKeysMax keys.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      ColumnFamily family, absl::Span<const std::string_view> keys,
      const Snapshot* snapshot = nullptr) const;

  // Sets `key` to `value` in `family`.
  absl::Status Put(ColumnFamily family, std::string_view key, std::string_view value,
                   WriteOptions options);

  // Removes `key` from `family`; removing a missing key succeeds.
  absl::Status Delete(ColumnFamily family, std::string_view key, WriteOptions options);

  // Commits every operation of `batch` atomically, or none when the batch is in error.
  // The batch is left as it was; Clear() it to reuse it.
  absl::Status Write(WriteBatch* batch, WriteOptions options);

  // A snapshot of the current state, released when the returned object is destroyed.
  Snapshot TakeSnapshot() const;

  // An iterator over the keys of `family` that start with options.prefix.
  PrefixIterator Scan(ColumnFamily family, const ScanOptions& options) const;

  // A RocksDB property such as "rocksdb.estimate-num-keys" or "rocksdb.dbstats", read from
  // the default column family; for metrics and diagnostics. NotFound for unknown names.
  absl::StatusOr<std::string> Property(std::string_view name) const;

  // The database directory.
  const std::string& path() const { return path_; }

 private:
  Store(std::string path, std::unique_ptr<rocksdb::DB> db,
        std::vector<rocksdb::ColumnFamilyHandle*> handles);

  const std::string path_;
  const std::unique_ptr<rocksdb::DB> db_;
  // One handle per column family, "default" included; owned, destroyed before db_ closes.
  const std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace bitcontent::store
