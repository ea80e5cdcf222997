#include "libs/store/rocksdb_options.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "rocksdb/cache.h"
#include "rocksdb/convenience.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/memtablerep.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"

namespace bitcontent::store {
namespace {

constexpr double kBloomBitsPerKey = 10.0;
constexpr size_t kFamilyWriteBufferSizeBytesMax = size_t{16} << 20;
constexpr size_t kInfoLogSizeBytesMax = size_t{8} << 20;
constexpr size_t kInfoLogFilesMax = 4;
constexpr uint64_t kBytesPerSync = uint64_t{1} << 20;
// The memtable Bloom filter of a family whose reads mostly miss, as a fraction of the
// memtable's size: tens of bits per key at record sizes of 50 bytes and up, so false
// positives (a search after all) are rare.
constexpr double kMemtableBloomSizeRatio = 0.05;

// The first of `preferred` that this RocksDB build supports, or no compression.
rocksdb::CompressionType Supported(const std::vector<rocksdb::CompressionType>& preferred) {
  const std::vector<rocksdb::CompressionType> supported = rocksdb::GetSupportedCompressions();
  for (rocksdb::CompressionType type : preferred) {
    if (std::find(supported.begin(), supported.end(), type) != supported.end()) {
      return type;
    }
  }
  return rocksdb::kNoCompression;
}

rocksdb::DBOptions MakeDatabaseOptions(const StoreOptions& options) {
  rocksdb::DBOptions database;
  database.create_if_missing = options.create_if_missing;
  database.create_missing_column_families = true;
  database.max_background_jobs = options.background_jobs_max;
  database.max_open_files = options.open_files_max;
  database.db_write_buffer_size = options.memtable_size_bytes_max;
  database.max_total_wal_size = 4 * options.memtable_size_bytes_max;
  database.max_log_file_size = kInfoLogSizeBytesMax;
  database.keep_log_file_num = kInfoLogFilesMax;
  database.bytes_per_sync = kBytesPerSync;
  for (const auto& [name, family] : options.family_options) {
    // A vector memtable cannot take concurrent inserts, RocksDB ignores insert hints with
    // them on, and the switch is store-wide.
    if (family.read_by_scans_only || family.ascending_under_prefix_bytes > 0) {
      database.allow_concurrent_memtable_write = false;
    }
  }
  return database;
}

rocksdb::ColumnFamilyOptions MakeFamilyOptions(const StoreOptions& options) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_size_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
  table.optimize_filters_for_memory = true;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;

  rocksdb::ColumnFamilyOptions family;
  family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  family.compaction_style = rocksdb::kCompactionStyleLevel;
  family.level_compaction_dynamic_level_bytes = true;
  family.write_buffer_size =
      std::min(kFamilyWriteBufferSizeBytesMax, options.memtable_size_bytes_max / 2);
  family.compression = Supported({rocksdb::kLZ4Compression, rocksdb::kSnappyCompression});
  family.bottommost_compression = Supported({rocksdb::kZSTD, family.compression});
  return family;
}

}  // namespace

rocksdb::ColumnFamilyOptions MakeFamilyOptionsFor(const RocksDbOptions& rocksdb,
                                                  const StoreOptions& options,
                                                  const std::string& name) {
  rocksdb::ColumnFamilyOptions family = rocksdb.family;
  auto found = options.family_options.find(name);
  if (found == options.family_options.end()) return family;
  if (found->second.read_by_scans_only) {
    family.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
  }
  if (found->second.reads_mostly_miss) {
    family.memtable_prefix_bloom_size_ratio = kMemtableBloomSizeRatio;
    family.memtable_whole_key_filtering = true;
  }
  if (found->second.memtable_size_bytes > 0) {
    family.write_buffer_size = found->second.memtable_size_bytes;
  }
  if (found->second.lz4_only) {
    family.compression = Supported({rocksdb::kLZ4Compression});
    family.bottommost_compression = family.compression;
  }
  if (found->second.ascending_under_prefix_bytes > 0) {
    family.memtable_insert_with_hint_prefix_extractor.reset(
        rocksdb::NewFixedPrefixTransform(found->second.ascending_under_prefix_bytes));
  }
  return family;
}

RocksDbOptions MakeRocksDbOptions(const StoreOptions& options) {
  return RocksDbOptions{.database = MakeDatabaseOptions(options),
                        .family = MakeFamilyOptions(options)};
}

}  // namespace bitcontent::store
