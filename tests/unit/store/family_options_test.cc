// FamilyOptions: the tuned families behave like any other, only faster for their use.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "libs/store/rocksdb_options.h"
#include "libs/store/store.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::store {
namespace {

std::unique_ptr<Store> OpenTuned(const std::string& path) {
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open({.path = path,
                   .column_families = {"scanned", "probed", "histories", "plain"},
                   .family_options = {{"scanned", {.read_by_scans_only = true}},
                                      {"probed", {.reads_mostly_miss = true}},
                                      {"histories", {.ascending_under_prefix_bytes = 4}}}});
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return *std::move(store);
}

std::vector<std::pair<std::string, std::string>> ScanAll(const Store& store, ColumnFamily family,
                                                         std::string_view prefix = {}) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (PrefixIterator it = store.Scan(family, {.prefix = prefix}); it.Valid(); it.Next()) {
    entries.emplace_back(std::string(it.key()), std::string(it.value()));
  }
  return entries;
}

TEST_CASE("store: A family read by scans only scans in key order, before and after reopen",
          "[store]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"a", "1"}, {"b", "2 again"}, {"c", "3"}};
  {
    std::unique_ptr<Store> store = OpenTuned(path);
    ColumnFamily scanned = FamilyOrDie(*store, "scanned");
    WriteBatch batch;
    batch.Put(scanned, "c", "3");
    batch.Put(scanned, "b", "2");
    batch.Put(scanned, "a", "1");
    REQUIRE(store->Write(&batch, kSync).ok());
    REQUIRE(store->Put(scanned, "b", "2 again", kSync).ok());
    REQUIRE(ScanAll(*store, scanned) == expected);
  }
  // Reopening replays the write-ahead log into a new vector memtable.
  std::unique_ptr<Store> store = OpenTuned(path);
  REQUIRE(ScanAll(*store, FamilyOrDie(*store, "scanned")) == expected);
}

TEST_CASE("store: A family whose reads mostly miss finds what is there", "[store]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenTuned(dir.Sub("db"));
  ColumnFamily probed = FamilyOrDie(*store, "probed");
  REQUIRE(store->Put(probed, "present", "yes", kNoSync).ok());
  const std::vector<std::string_view> keys = {"absent", "present"};
  auto values = store->MultiGet(probed, keys);
  REQUIRE(values.ok());
  REQUIRE(!(*values)[0].has_value());
  REQUIRE((*values)[1] == "yes");
  REQUIRE(absl::IsNotFound(store->Get(probed, "absent").status()));
}

// The insert hints are only hints: keys that arrive out of order under their prefix, or
// that are shorter than it, still land in their place.
TEST_CASE("store: A family whose keys ascend under a prefix reads in key order whatever came first",
          "[store]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"aa", "short"},       {"acct1", "a1"}, {"acct2", "a2"},
      {"acct3", "a3 again"}, {"bcct1", "b1"}, {"bcct9", "b9"}};
  {
    std::unique_ptr<Store> store = OpenTuned(path);
    ColumnFamily histories = FamilyOrDie(*store, "histories");
    WriteBatch batch;
    batch.Put(histories, "acct1", "a1");
    batch.Put(histories, "bcct9", "b9");
    batch.Put(histories, "acct3", "a3");
    batch.Put(histories, "aa", "short");
    REQUIRE(store->Write(&batch, kSync).ok());
    batch.Clear();
    batch.Put(histories, "bcct1", "b1");
    batch.Put(histories, "acct2", "a2");
    batch.Put(histories, "acct3", "a3 again");
    REQUIRE(store->Write(&batch, kSync).ok());
    REQUIRE(ScanAll(*store, histories) == expected);
    REQUIRE(ScanAll(*store, histories, "bcct") ==
            std::vector<std::pair<std::string, std::string>>(expected.end() - 2, expected.end()));
  }
  std::unique_ptr<Store> store = OpenTuned(path);
  REQUIRE(ScanAll(*store, FamilyOrDie(*store, "histories")) == expected);
}

// The size and compression a family asks for are what RocksDB is given; the others keep
// the defaults (the ledger's index store relies on both, keys.h).
TEST_CASE("store: A family's memtable size and LZ4-only compression reach RocksDB", "[store]") {
  const StoreOptions options = {
      .column_families = {"index", "plain"},
      .family_options = {{"index", {.memtable_size_bytes = size_t{48} << 20, .lz4_only = true}}},
      .memtable_size_bytes_max = size_t{96} << 20};
  const RocksDbOptions rocksdb = MakeRocksDbOptions(options);
  const rocksdb::ColumnFamilyOptions index = MakeFamilyOptionsFor(rocksdb, options, "index");
  const rocksdb::ColumnFamilyOptions plain = MakeFamilyOptionsFor(rocksdb, options, "plain");
  REQUIRE(index.write_buffer_size == size_t{48} << 20);
  REQUIRE(plain.write_buffer_size == size_t{16} << 20);
  REQUIRE(index.compression == rocksdb::kLZ4Compression);
  REQUIRE(index.bottommost_compression == rocksdb::kLZ4Compression);
  REQUIRE(plain.bottommost_compression == rocksdb::kZSTD);
}

TEST_CASE("store: A family's memtable may not exceed the store's memtable budget", "[store]") {
  TempDir dir;
  const absl::Status status =
      Store::Open({.path = dir.Sub("db"),
                   .column_families = {"index"},
                   .family_options = {{"index", {.memtable_size_bytes = size_t{65} << 20}}},
                   .memtable_size_bytes_max = size_t{64} << 20})
          .status();
  REQUIRE(absl::IsInvalidArgument(status));
  REQUIRE_THAT(std::string(status.message()), Catch::Contains("memtable of index"));
}

TEST_CASE("store: family_options may only name the store's column families", "[store]") {
  TempDir dir;
  REQUIRE(absl::IsInvalidArgument(
      Store::Open({.path = dir.Sub("db"), .column_families = {"a"}, .family_options = {{"b", {}}}})
          .status()));
}

}  // namespace
}  // namespace bitcontent::store
