// Helpers shared by the ledger tests: Harness opens a Store and a Ledger in a fresh
// temporary directory with a ManualClock, and can close and reopen them; Acct and Xfer
// build accounts and transfers with the usual defaults (ledger 1, code 1).
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "libs/ledger/ledger.h"
#include "libs/store/store.h"

namespace bitcontent::ledger {

inline constexpr uint64_t kStartNs = 1'800'000'000'000'000'000;
inline constexpr uint64_t kSecondNs = 1'000'000'000;

class Harness {
 public:
  explicit Harness(uint64_t start_ns = kStartNs) : clock_(start_ns) {
    std::string pattern = (std::filesystem::temp_directory_path() / "ledger_test_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
    Open();
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;
  ~Harness() {
    Close();
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  void Open() {
    auto store = store::Store::Open({.path = path_ + "/db",
                                     .column_families = ColumnFamilies(),
                                     .family_options = ColumnFamilyOptions()});
    INFO(store.status().ToString());
    REQUIRE(store.ok());
    store_ = *std::move(store);
    auto index_store = OpenIndexStore(index_path());
    INFO(index_store.status().ToString());
    REQUIRE(index_store.ok());
    index_store_ = *std::move(index_store);
    auto ledger =
        Ledger::Open(store_.get(), index_store_.get(), {.clock = &clock_, .on_commit = on_commit});
    INFO(ledger.status().ToString());
    REQUIRE(ledger.ok());
    ledger_ = *std::move(ledger);
  }
  void Close() {
    ledger_.reset();
    index_store_.reset();
    store_.reset();
  }
  void Reopen() {
    Close();
    Open();
  }

  Ledger& ledger() { return *ledger_; }
  // Given to the ledger at the next Open (LedgerOptions::on_commit).
  std::function<void(const CommitStats&)> on_commit;
  const std::string& path() const { return path_; }
  // The index store's directory (index_writer.h).
  std::string index_path() const { return path_ + "/index"; }
  ManualClock& clock() { return clock_; }
  store::Store& store() { return *store_; }

  std::vector<CreateAccountResult> Accounts(const std::vector<Account>& accounts) {
    auto results = ledger_->CreateAccounts(accounts);
    INFO(results.status().ToString());
    REQUIRE(results.ok());
    return *results;
  }
  std::vector<CreateTransferResult> Transfers(const std::vector<Transfer>& transfers) {
    auto results = ledger_->CreateTransfers(transfers);
    INFO(results.status().ToString());
    REQUIRE(results.ok());
    return *results;
  }
  CreateAccountResult Account1(const Account& account) { return Accounts({account})[0]; }
  CreateTransferResult Transfer1(const Transfer& transfer) { return Transfers({transfer})[0]; }
  Account Get(uint64_t id) {
    auto found = ledger_->LookupAccounts(std::vector<Id>{Id{0, id}});
    REQUIRE(found.ok());
    REQUIRE((*found)[0].has_value());
    return *(*found)[0];
  }

 private:
  ManualClock clock_;
  std::string path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Store> index_store_;
  std::unique_ptr<Ledger> ledger_;
};

inline Id N(uint64_t n) { return Id{0, n}; }

inline Account Acct(uint64_t id, uint16_t flags = 0) {
  return Account{.id = N(id), .ledger = 1, .code = 1, .flags = flags};
}

inline Transfer Xfer(uint64_t id, uint64_t debit, uint64_t credit, uint64_t amount,
                     uint16_t flags = 0) {
  return Transfer{.id = N(id),
                  .debit_account_id = N(debit),
                  .credit_account_id = N(credit),
                  .amount_msat = amount,
                  .ledger = 1,
                  .code = 1,
                  .flags = flags};
}

// A post or void of `pending`.
inline Transfer Resolve(uint64_t id, uint64_t pending, uint16_t flag, uint64_t amount = 0) {
  return Transfer{.id = N(id), .amount_msat = amount, .pending_id = N(pending), .flags = flag};
}

}  // namespace bitcontent::ledger
