// WriteBatch: puts and deletes across column families, committed atomically.
//
// Fill a batch, then commit it with Store::Write(&batch, {.sync = ...}): either every
// operation becomes visible and durable together or none does, even across a crash. This
// is how the wallet ledger applies a batch of transfers. Operations are appended to one
// buffer, so a batch costs no allocation per operation; reserve the expected size up
// front and Clear() the batch between commits to reuse its buffer.
//
// A batch has a size limit. The first operation that would exceed it, or that RocksDB
// refuses, puts the batch in error: later operations are ignored, status() reports the
// error, and Store::Write refuses to commit any part of the batch.
#pragma once

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"
#include "libs/store/column_family.h"
#include "rocksdb/write_batch.h"

namespace bitcontent::store {

inline constexpr size_t kWriteBatchSizeBytesMaxDefault = size_t{64} << 20;

class WriteBatch {
 public:
  // `reserved_bytes` pre-sizes the buffer; `size_bytes_max` bounds the encoded batch.
  explicit WriteBatch(size_t reserved_bytes = 0,
                      size_t size_bytes_max = kWriteBatchSizeBytesMaxDefault);

  // Sets `key` to `value` in `family` when the batch commits.
  void Put(ColumnFamily family, std::string_view key, std::string_view value);

  // Removes `key` from `family` when the batch commits; removing a missing key is fine.
  void Delete(ColumnFamily family, std::string_view key);

  // Puts the batch in error with `status` (not OK), as a failed operation would: a part
  // that staged into someone else's batch (a listener) and could not read what it needed
  // refuses the whole commit this way. The first error stays.
  void Fail(absl::Status status);

  // Empties the batch and clears its error, keeping the buffer for the next batch.
  void Clear();

  // Number of operations in the batch.
  size_t count() const { return static_cast<size_t>(batch_.Count()); }
  // Size of the encoded batch.
  size_t size_bytes() const { return batch_.GetDataSize(); }
  // OK, or the error of the first operation that failed.
  const absl::Status& status() const { return status_; }

 private:
  friend class Store;

  rocksdb::WriteBatch batch_;
  absl::Status status_;
};

}  // namespace bitcontent::store
