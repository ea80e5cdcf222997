// ColumnFamily: a cheap handle to one column family of an open Store.
//
// Look a family up by name once with Store::Family (usually at service start) and keep
// the handle; reads, writes and batches then take the handle, so hot paths never hash or
// compare family names. A handle is a pointer: copy it freely, use it only with the Store
// that returned it, and not after that Store is destroyed.
#pragma once

#include <string_view>

namespace rocksdb {
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace bitcontent::store {

class ColumnFamily {
 public:
  // The family's name, as given to Store::Family.
  std::string_view name() const { return name_; }

 private:
  friend class Store;
  friend class WriteBatch;
  friend class PrefixIterator;

  ColumnFamily(rocksdb::ColumnFamilyHandle* handle, std::string_view name)
      : handle_(handle), name_(name) {}

  rocksdb::ColumnFamilyHandle* handle_;
  std::string_view name_;  // Owned by RocksDB's handle, which lives as long as the Store.
};

}  // namespace bitcontent::store
