#include "libs/store/prefix_iterator.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "libs/store/key_encoding.h"
#include "libs/store/store.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::store {
namespace {

using Keys = std::vector<std::string>;

// Runs a scan to its end and returns the keys it produced.
Keys ScanKeys(const Store& store, ColumnFamily family, const ScanOptions& options) {
  Keys keys;
  PrefixIterator it = store.Scan(family, options);
  for (; it.Valid(); it.Next()) {
    keys.emplace_back(it.key());
  }
  REQUIRE(it.status().ok());
  return keys;
}

void PutAll(Store& store, ColumnFamily family, const Keys& keys) {
  for (const std::string& key : keys) {
    REQUIRE(store.Put(family, key, "v:" + key, kNoSync).ok());
  }
}

TEST_CASE("store scan: Scan returns exactly the keys with the prefix, in order", "[store][scan]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"nodes"});
  ColumnFamily nodes = FamilyOrDie(*store, "nodes");
  PutAll(*store, nodes, {"user/1/b", "user/1/a", "user/10", "user/2/a", "user/", "use", "v"});

  REQUIRE(ScanKeys(*store, nodes, {.prefix = "user/1"}) == Keys{"user/1/a", "user/1/b", "user/10"});
  REQUIRE(ScanKeys(*store, nodes, {.prefix = "user/1/"}) == Keys{"user/1/a", "user/1/b"});
  REQUIRE(ScanKeys(*store, nodes, {.prefix = "user/3"}).empty());
  REQUIRE(ScanKeys(*store, nodes, {.prefix = ""}).size() == 7);

  PrefixIterator it = store->Scan(nodes, {.prefix = "user/2/"});
  REQUIRE(it.Valid());
  REQUIRE(it.key() == "user/2/a");
  REQUIRE(it.value() == "v:user/2/a");
}

TEST_CASE("store scan: Scan stops at the end of a prefix that ends in 0xff bytes",
          "[store][scan]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"nodes"});
  ColumnFamily nodes = FamilyOrDie(*store, "nodes");
  const std::string zero(1, '\0');
  PutAll(*store, nodes,
         {"a\xfe\xff", "a\xff", "a\xff" + zero, "a\xff\xff", "a\xff\xff\xff", "b", "b" + zero,
          "\xff\xfe", "\xff\xff", "\xff\xff\x01", "\xff\xff\xff"});

  REQUIRE(ScanKeys(*store, nodes, {.prefix = "a\xff"}) ==
          Keys{"a\xff", "a\xff" + zero, "a\xff\xff", "a\xff\xff\xff"});
  REQUIRE(ScanKeys(*store, nodes, {.prefix = "a\xfe"}) == Keys{"a\xfe\xff"});
  // A prefix of only 0xff bytes has no upper bound: it runs to the end of the family.
  REQUIRE(ScanKeys(*store, nodes, {.prefix = "\xff\xff"}) ==
          Keys{"\xff\xff", "\xff\xff\x01", "\xff\xff\xff"});
}

TEST_CASE("store scan: Scan with start_after resumes after the cursor", "[store][scan]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"history"});
  ColumnFamily history = FamilyOrDie(*store, "history");
  Keys all;
  for (uint64_t id : {1, 2, 3, 256, 1000}) {
    all.push_back("acct/" + EncodeUint64(id));
  }
  PutAll(*store, history, all);
  PutAll(*store, history, {"acct0", "accs"});

  // The cursor is a key that exists: the scan starts just after it.
  REQUIRE(ScanKeys(*store, history, {.prefix = "acct/", .start_after = all[1]}) ==
          Keys{all[2], all[3], all[4]});
  // The cursor was deleted since: the scan starts at the next key.
  REQUIRE(
      ScanKeys(*store, history, {.prefix = "acct/", .start_after = "acct/" + EncodeUint64(4)}) ==
      Keys{all[3], all[4]});
  // The last key as cursor: nothing more, and nothing past the prefix.
  REQUIRE(ScanKeys(*store, history, {.prefix = "acct/", .start_after = all[4]}).empty());
  // A cursor before the prefix starts at the prefix.
  REQUIRE(ScanKeys(*store, history, {.prefix = "acct/", .start_after = "a"}) == all);
}

TEST_CASE("store scan: Scan stops after limit entries, for pagination", "[store][scan]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"history"});
  ColumnFamily history = FamilyOrDie(*store, "history");
  Keys all;
  for (uint64_t id = 0; id < 10; ++id) {
    all.push_back("h/" + EncodeUint64(id));
  }
  PutAll(*store, history, all);

  REQUIRE(ScanKeys(*store, history, {.prefix = "h/", .limit = 0}).empty());
  REQUIRE(ScanKeys(*store, history, {.prefix = "h/", .limit = 3}) ==
          Keys(all.begin(), all.begin() + 3));

  // Page through with a cursor, three at a time.
  Keys paged;
  std::optional<std::string> cursor;
  for (int page = 0; page < 10; ++page) {
    ScanOptions options = {.prefix = "h/", .limit = 3};
    if (cursor.has_value()) {
      options.start_after = *cursor;
    }
    Keys keys = ScanKeys(*store, history, options);
    if (keys.empty()) {
      break;
    }
    paged.insert(paged.end(), keys.begin(), keys.end());
    cursor = keys.back();
  }
  REQUIRE(paged == all);
}

TEST_CASE("store scan: a reverse Scan walks the prefix from its last key", "[store][scan]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"history"});
  ColumnFamily history = FamilyOrDie(*store, "history");
  Keys all;
  for (uint64_t id : {1, 2, 3, 256}) {
    all.push_back("acct/" + EncodeUint64(id));
  }
  PutAll(*store, history, all);
  PutAll(*store, history, {"acct0", "accs", "acct"});

  REQUIRE(ScanKeys(*store, history, {.prefix = "acct/", .reverse = true}) ==
          Keys{all[3], all[2], all[1], all[0]});
  // The cursor is a key that exists: the scan starts just before it.
  REQUIRE(ScanKeys(*store, history, {.prefix = "acct/", .start_after = all[2], .reverse = true}) ==
          Keys{all[1], all[0]});
  // A cursor past the prefix starts at its last key; one before it yields nothing.
  REQUIRE(ScanKeys(*store, history, {.prefix = "acct/", .start_after = "b", .reverse = true}) ==
          Keys{all[3], all[2], all[1], all[0]});
  REQUIRE(
      ScanKeys(*store, history, {.prefix = "acct/", .start_after = "a", .reverse = true}).empty());
  REQUIRE(ScanKeys(*store, history, {.prefix = "acct/", .reverse = true, .limit = 2}) ==
          Keys{all[3], all[2]});
}

}  // namespace
}  // namespace bitcontent::store
