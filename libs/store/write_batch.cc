#include "libs/store/write_batch.h"

#include "libs/store/errors.h"

namespace bitcontent::store {

WriteBatch::WriteBatch(size_t reserved_bytes, size_t size_bytes_max)
    : batch_(reserved_bytes, size_bytes_max) {}

void WriteBatch::Put(ColumnFamily family, std::string_view key, std::string_view value) {
  if (!status_.ok()) {
    return;
  }
  rocksdb::Status status = batch_.Put(family.handle_, rocksdb::Slice(key.data(), key.size()),
                                      rocksdb::Slice(value.data(), value.size()));
  if (!status.ok()) {
    status_ = ToAbslStatus(status, "WriteBatch.Put", family.name());
  }
}

void WriteBatch::Delete(ColumnFamily family, std::string_view key) {
  if (!status_.ok()) {
    return;
  }
  rocksdb::Status status = batch_.Delete(family.handle_, rocksdb::Slice(key.data(), key.size()));
  if (!status.ok()) {
    status_ = ToAbslStatus(status, "WriteBatch.Delete", family.name());
  }
}

void WriteBatch::Fail(absl::Status status) {
  if (status_.ok() && !status.ok()) status_ = std::move(status);
}

void WriteBatch::Clear() {
  batch_.Clear();
  status_ = absl::OkStatus();
}

}  // namespace bitcontent::store
