// Several threads submitting at once: every result arrives, commits are grouped, and
// the ledger balances.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/unit/ledger/ledger_test_util.h"

namespace bitcontent::ledger {
namespace {

TEST_CASE("Concurrent submitters are grouped into commits and all succeed", "[ledger]") {
  Harness h;
  constexpr uint64_t kAccounts = 20;
  std::vector<Account> accounts;
  for (uint64_t i = 1; i <= kAccounts; ++i) accounts.push_back(Acct(i));
  REQUIRE(h.Accounts(accounts) ==
          std::vector<CreateAccountResult>(kAccounts, CreateAccountResult::kOk));
  constexpr int kThreads = 6;
  constexpr int kBatches = 30;
  constexpr int kPerBatch = 20;
  std::vector<std::thread> threads;
  std::vector<int> ok(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<Transfer> batch;
        for (int i = 0; i < kPerBatch; ++i) {
          const uint64_t id = 1'000'000 * (t + 1) + b * kPerBatch + i;
          const uint64_t debit = 1 + (id % kAccounts);
          const uint64_t credit = 1 + ((id + 1 + t) % kAccounts);
          batch.push_back(Xfer(id, debit, credit == debit ? debit % kAccounts + 1 : credit, 1));
        }
        auto results = h.ledger().CreateTransfers(batch);
        if (!results.ok()) continue;
        for (CreateTransferResult r : *results) ok[t] += r == CreateTransferResult::kOk;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  int total = 0;
  for (int n : ok) total += n;
  CHECK(total == kThreads * kBatches * kPerBatch);
  const Totals totals = h.ledger().totals();
  CHECK(totals.Balanced());
  CHECK(totals.transfer_count == static_cast<uint64_t>(total));
  CHECK(totals.debits_posted_msat == static_cast<Sum>(total));
  INFO("commits " << h.ledger().commit_count());
  CHECK(h.ledger().commit_count() <= 1 + kThreads * kBatches);
  h.Reopen();
  CHECK(h.ledger().totals() == totals);
}

// A clock that blocks its readers while closed: holds the writer inside a commit.
class GateClock final : public Clock {
 public:
  uint64_t NowNs() override {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&open_));
    return kStartNs;
  }
  void Set(bool open) {
    absl::MutexLock lock(&mu_);
    open_ = open;
  }

 private:
  absl::Mutex mu_;
  bool open_ = true;
};

TEST_CASE("Submissions that wait behind a commit share the next one", "[ledger]") {
  Harness dir;
  dir.Close();
  GateClock clock;
  auto store =
      store::Store::Open({.path = dir.path() + "/gate", .column_families = ColumnFamilies()});
  REQUIRE(store.ok());
  auto index_store = OpenIndexStore(dir.path() + "/gate-index");
  REQUIRE(index_store.ok());
  auto opened = Ledger::Open(store->get(), index_store->get(), {.clock = &clock});
  REQUIRE(opened.ok());
  Ledger& ledger = **opened;
  REQUIRE(ledger.CreateAccounts(std::vector<Account>{Acct(1), Acct(2)}).ok());
  const uint64_t before = ledger.commit_count();
  clock.Set(false);
  std::vector<std::thread> threads;
  std::vector<CreateTransferResult> results(4, CreateTransferResult::kUnspecified);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto r = ledger.CreateTransfers(std::vector<Transfer>{Xfer(10 + i, 1, 2, 1)});
      if (r.ok()) results[i] = (*r)[0];
    });
    // The first one is taken by the writer, which then waits on the clock; the others queue.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  clock.Set(true);
  for (std::thread& thread : threads) thread.join();
  CHECK(results == std::vector<CreateTransferResult>(4, CreateTransferResult::kOk));
  CHECK(ledger.commit_count() - before == 2);
  opened->reset();
}

}  // namespace
}  // namespace bitcontent::ledger
