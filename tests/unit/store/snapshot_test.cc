#include "libs/store/snapshot.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "libs/store/store.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::store {
namespace {

TEST_CASE("store snapshot: Reads through a snapshot see the state when it was taken",
          "[store][snapshot]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"users"});
  ColumnFamily users = FamilyOrDie(*store, "users");
  REQUIRE(store->Put(users, "u/alice", "v1", kNoSync).ok());
  REQUIRE(store->Put(users, "u/bob", "v1", kNoSync).ok());

  const Snapshot snapshot = store->TakeSnapshot();
  REQUIRE(store->Put(users, "u/alice", "v2", kNoSync).ok());
  REQUIRE(store->Delete(users, "u/bob", kNoSync).ok());
  REQUIRE(store->Put(users, "u/carol", "v2", kNoSync).ok());

  REQUIRE(store->Get(users, "u/alice", &snapshot).value() == "v1");
  REQUIRE(store->Get(users, "u/bob", &snapshot).value() == "v1");
  REQUIRE(absl::IsNotFound(store->Get(users, "u/carol", &snapshot).status()));
  REQUIRE(store->Get(users, "u/alice").value() == "v2");
  REQUIRE(absl::IsNotFound(store->Get(users, "u/bob").status()));

  const std::vector<std::string_view> keys = {"u/alice", "u/bob", "u/carol"};
  auto then = store->MultiGet(users, keys, &snapshot);
  REQUIRE(then.ok());
  REQUIRE((*then)[0] == "v1");
  REQUIRE((*then)[1] == "v1");
  REQUIRE_FALSE((*then)[2].has_value());

  std::vector<std::string> then_keys;
  std::vector<std::string> then_values;
  for (PrefixIterator it = store->Scan(users, {.prefix = "u/", .snapshot = &snapshot}); it.Valid();
       it.Next()) {
    then_keys.emplace_back(it.key());
    then_values.emplace_back(it.value());
  }
  REQUIRE(then_keys == std::vector<std::string>{"u/alice", "u/bob"});
  REQUIRE(then_values == std::vector<std::string>{"v1", "v1"});

  std::vector<std::string> now_keys;
  for (PrefixIterator it = store->Scan(users, {.prefix = "u/"}); it.Valid(); it.Next()) {
    now_keys.emplace_back(it.key());
  }
  REQUIRE(now_keys == std::vector<std::string>{"u/alice", "u/carol"});
}

TEST_CASE("store snapshot: A moved snapshot keeps its view", "[store][snapshot]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"users"});
  ColumnFamily users = FamilyOrDie(*store, "users");
  REQUIRE(store->Put(users, "k", "old", kNoSync).ok());
  Snapshot first = store->TakeSnapshot();
  REQUIRE(store->Put(users, "k", "new", kNoSync).ok());
  Snapshot moved = std::move(first);
  REQUIRE(store->Get(users, "k", &moved).value() == "old");
  Snapshot assigned = store->TakeSnapshot();
  assigned = std::move(moved);  // Releases the newer snapshot, keeps the older view.
  REQUIRE(store->Get(users, "k", &assigned).value() == "old");
}

}  // namespace
}  // namespace bitcontent::store
