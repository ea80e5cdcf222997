// Translation of StoreOptions into RocksDB's options (internal to the store library).
//
// store_options.h documents the choices made here; this file holds the only place where
// RocksDB tuning knobs are set, so a change of defaults is one edit.
#pragma once

#include <string>

#include "libs/store/store_options.h"
#include "rocksdb/options.h"

namespace bitcontent::store {

struct RocksDbOptions {
  rocksdb::DBOptions database;
  // The base of every column family's options; all of them share one block cache.
  rocksdb::ColumnFamilyOptions family;
};

// Returns the RocksDB options for a store opened with `options`.
RocksDbOptions MakeRocksDbOptions(const StoreOptions& options);

// The options of the family `name`: `rocksdb.family`, changed as options.family_options
// says for that name.
rocksdb::ColumnFamilyOptions MakeFamilyOptionsFor(const RocksDbOptions& rocksdb,
                                                  const StoreOptions& options,
                                                  const std::string& name);

}  // namespace bitcontent::store
