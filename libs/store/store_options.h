// Options for opening a Store and for committing writes to it.
//
// The defaults suit one service on a small machine (2 cores, a few GiB of memory) whose
// reads are mostly point lookups and short prefix scans:
// - One LRU block cache of 64 MiB shared by every column family, holding index and filter
//   blocks too, so memory for reads stays within block_cache_size_bytes as data grows.
// - A 10 bits/key Bloom filter on every table (about 1% false positives), so a Get for a
//   missing key rarely touches the disk.
// - Level compaction with dynamic level sizes: the lowest space and read amplification
//   for update-heavy data; LZ4 on upper levels, ZSTD on the last level.
// - Memtables of all families share memtable_size_bytes_max; the WAL is bounded to four
//   times that, which bounds recovery time after a crash.
// - Two background jobs (flush and compaction), a bounded number of open table files and
//   a few small info LOG files.
// A family whose reads depart from that pattern says how in FamilyOptions.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace bitcontent::store {

// How one column family is read, where that departs from the default (point reads and
// prefix scans of data read about as often as it is written).
struct FamilyOptions {
  // Written on every commit but read only by full scans, rarely (the ledger's accounts,
  // rebuilt in memory at open): the memtable is an unsorted vector, so an insert costs an
  // append, and a read of the unflushed part sorts a copy of it. Setting this on any
  // family turns off concurrent memtable inserts for the whole store, as RocksDB
  // requires; they only matter when many threads write at once.
  bool read_by_scans_only = false;
  // Point reads mostly ask for keys that are not there (the ledger checks that every new
  // transfer id is unused): a Bloom filter over the memtable answers those without a
  // search of the memtable.
  bool reads_mostly_miss = false;
  // When non-zero, every key starts with a prefix of this many bytes under which new keys
  // arrive in ascending order (an account's history: account id || timestamp). The
  // memtable remembers where each prefix took its last insert and starts the next one
  // there, instead of searching the whole memtable. Costs about 250 bytes of memory per
  // prefix in the memtable; needs concurrent memtable inserts off, as with
  // read_by_scans_only.
  size_t ascending_under_prefix_bytes = 0;
  // When non-zero, the size of this family's memtable (by default the smaller of 16 MiB
  // and half of memtable_size_bytes_max). A family whose keys spread over the whole key
  // space (an index by account) is rewritten by every compaction into its last level, so
  // fewer, larger flushes mean less compaction per byte written.
  size_t memtable_size_bytes = 0;
  // LZ4 on every level, ZSTD on none: for data that compaction rewrites far more often
  // than anyone reads it, where ZSTD's CPU outweighs its better ratio.
  bool lz4_only = false;
};

struct StoreOptions {
  // Directory of the database; created when missing and create_if_missing is true.
  std::string path = {};
  // Column families the service uses; each is created on first open. "default" always
  // exists. Families already in the database but not listed here are opened too.
  std::vector<std::string> column_families = {};
  // By family name, for families of column_families; the others get the defaults.
  std::map<std::string, FamilyOptions> family_options = {};
  // When false, opening a directory with no database fails with NotFound.
  bool create_if_missing = true;

  size_t block_cache_size_bytes = size_t{64} << 20;
  size_t memtable_size_bytes_max = size_t{64} << 20;
  int background_jobs_max = 2;
  int open_files_max = 1024;
};

// Limits checked by Store::Open.
inline constexpr size_t kColumnFamiliesMax = 64;

struct WriteOptions {
  // True: the write is fsync'ed to the WAL before the call returns, so it survives a
  // machine crash. False: it survives a process crash only. Always chosen explicitly.
  bool sync = false;
  // True: the write skips the WAL and lasts only once RocksDB flushes its family (at the
  // latest when the store closes), so a process crash loses it. Only for data the caller
  // can rebuild from what it wrote durably (the ledger's query indexes). Needs sync false.
  bool skip_wal = false;
};

}  // namespace bitcontent::store
