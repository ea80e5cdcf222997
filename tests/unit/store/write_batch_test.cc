#include "libs/store/write_batch.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "libs/store/key_encoding.h"
#include "libs/store/store.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::store {
namespace {

// Parses "Cumulative WAL: <n> writes, <m> syncs" out of the rocksdb.dbstats property.
uint64_t WalSyncCount(const Store& store) {
  absl::StatusOr<std::string> stats = store.Property("rocksdb.dbstats");
  REQUIRE(stats.ok());
  const std::string marker = "Cumulative WAL: ";
  const size_t start = stats->find(marker);
  REQUIRE(start != std::string::npos);
  const size_t writes_end = stats->find(" writes, ", start);
  const size_t syncs_end = stats->find(" syncs", writes_end);
  REQUIRE(syncs_end != std::string::npos);
  const size_t syncs_start = writes_end + std::string(" writes, ").size();
  uint64_t syncs = 0;
  REQUIRE(absl::SimpleAtoi(stats->substr(syncs_start, syncs_end - syncs_start), &syncs));
  return syncs;
}

TEST_CASE("store write_batch: A batch across families commits all its operations",
          "[store][write_batch]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"accounts", "transfers"});
  ColumnFamily accounts = FamilyOrDie(*store, "accounts");
  ColumnFamily transfers = FamilyOrDie(*store, "transfers");
  REQUIRE(store->Put(accounts, "gone", "x", kNoSync).ok());

  WriteBatch batch;
  batch.Put(accounts, "alice", "90");
  batch.Put(accounts, "bob", "10");
  batch.Put(transfers, EncodeUint64(1), "alice->bob 10");
  batch.Delete(accounts, "gone");
  REQUIRE(batch.count() == 4);
  REQUIRE(absl::IsNotFound(store->Get(accounts, "alice").status()));  // Not yet committed.
  REQUIRE(store->Write(&batch, kNoSync).ok());

  REQUIRE(store->Get(accounts, "alice").value() == "90");
  REQUIRE(store->Get(accounts, "bob").value() == "10");
  REQUIRE(store->Get(transfers, EncodeUint64(1)).value() == "alice->bob 10");
  REQUIRE(absl::IsNotFound(store->Get(accounts, "gone").status()));
}

TEST_CASE("store write_batch: A batch in error commits nothing", "[store][write_batch]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"accounts", "transfers"});
  ColumnFamily accounts = FamilyOrDie(*store, "accounts");
  ColumnFamily transfers = FamilyOrDie(*store, "transfers");

  WriteBatch batch(/*reserved_bytes=*/0, /*size_bytes_max=*/256);
  batch.Put(accounts, "alice", "90");
  batch.Put(transfers, "t1", std::string(1024, 'x'));  // Over the batch's size limit.
  batch.Put(accounts, "bob", "10");                    // Ignored: the batch is in error.
  REQUIRE(batch.status().code() == absl::StatusCode::kResourceExhausted);
  REQUIRE_THAT(std::string(batch.status().message()), Catch::Contains("transfers"));

  const absl::Status written = store->Write(&batch, kSync);
  REQUIRE(written.code() == absl::StatusCode::kResourceExhausted);
  REQUIRE(absl::IsNotFound(store->Get(accounts, "alice").status()));
  REQUIRE(absl::IsNotFound(store->Get(transfers, "t1").status()));
  REQUIRE(absl::IsNotFound(store->Get(accounts, "bob").status()));

  batch.Clear();  // A cleared batch is usable again.
  REQUIRE(batch.status().ok());
  REQUIRE(batch.count() == 0);
  batch.Put(accounts, "bob", "10");
  REQUIRE(store->Write(&batch, kSync).ok());
  REQUIRE(store->Get(accounts, "bob").value() == "10");
}

TEST_CASE("store write_batch: Readers never see half of a batch", "[store][write_batch]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"debits", "credits"});
  ColumnFamily debits = FamilyOrDie(*store, "debits");
  ColumnFamily credits = FamilyOrDie(*store, "credits");
  constexpr int kBatches = 20000;  // Enough for a torn write to be caught every run.
  std::atomic<bool> writing = true;

  std::thread writer([&] {
    WriteBatch batch;
    for (int i = 1; i <= kBatches; ++i) {
      batch.Clear();
      batch.Put(debits, "total", std::to_string(i));
      batch.Put(credits, "total", std::to_string(i));
      if (!store->Write(&batch, kNoSync).ok()) {
        break;
      }
    }
    writing = false;
  });
  int torn_reads = 0;
  int reads = 0;
  while (writing) {
    const Snapshot snapshot = store->TakeSnapshot();
    absl::StatusOr<std::string> debit = store->Get(debits, "total", &snapshot);
    absl::StatusOr<std::string> credit = store->Get(credits, "total", &snapshot);
    if (debit.ok() != credit.ok() || (debit.ok() && *debit != *credit)) {
      ++torn_reads;
    }
    ++reads;
  }
  writer.join();
  INFO("reads: " << reads);
  REQUIRE(torn_reads == 0);
  REQUIRE(store->Get(credits, "total").value() == std::to_string(kBatches));
}

TEST_CASE("store write_batch: The sync option reaches RocksDB and synced writes survive reopen",
          "[store][write_batch]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  {
    std::unique_ptr<Store> store = OpenOrDie(path, {"ledger"});
    ColumnFamily ledger = FamilyOrDie(*store, "ledger");
    WriteBatch batch;
    batch.Put(ledger, "unsynced", "1");
    const uint64_t syncs_before = WalSyncCount(*store);
    REQUIRE(store->Write(&batch, kNoSync).ok());
    REQUIRE(WalSyncCount(*store) == syncs_before);

    batch.Clear();
    batch.Put(ledger, "synced", "2");
    REQUIRE(store->Write(&batch, kSync).ok());
    REQUIRE(WalSyncCount(*store) == syncs_before + 1);

    REQUIRE(store->Put(ledger, "put", "3", kSync).ok());
    REQUIRE(store->Delete(ledger, "unsynced", kSync).ok());
    REQUIRE(WalSyncCount(*store) == syncs_before + 3);
  }
  std::unique_ptr<Store> store = OpenOrDie(path, {"ledger"});
  ColumnFamily ledger = FamilyOrDie(*store, "ledger");
  REQUIRE(store->Get(ledger, "synced").value() == "2");
  REQUIRE(store->Get(ledger, "put").value() == "3");
  REQUIRE(absl::IsNotFound(store->Get(ledger, "unsynced").status()));
}

}  // namespace
}  // namespace bitcontent::store
