// LookupAccounts, LookupTransfers, ListAccountTransfers, ListTransfersByReference and the
// change feed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/ledger/ledger_test_util.h"

namespace bitcontent::ledger {
namespace {

using TR = CreateTransferResult;

std::vector<uint64_t> Ids(const TransferPage& page) {
  std::vector<uint64_t> ids;
  for (const Transfer& t : page.transfers) ids.push_back(t.id.low);
  return ids;
}

// Every page `filter` gives, following the cursor (at most 20 pages).
std::vector<uint64_t> AllPages(Harness& h, AccountTransfersFilter filter) {
  std::vector<uint64_t> seen;
  for (int page = 0; page < 20; ++page) {
    auto result = h.ledger().ListAccountTransfers(filter);
    REQUIRE(result.ok());
    for (uint64_t id : Ids(*result)) seen.push_back(id);
    if (result->next_cursor_timestamp_ns == 0) break;
    filter.cursor_timestamp_ns = result->next_cursor_timestamp_ns;
  }
  return seen;
}

// Transfers 100..109 alternate 1 -> 2 and 2 -> 1; odd ones carry reference 77.
void Fill(Harness& h) {
  REQUIRE(h.Accounts({Acct(1), Acct(2), Acct(3)}) ==
          std::vector<CreateAccountResult>(3, CreateAccountResult::kOk));
  std::vector<Transfer> batch;
  for (uint64_t i = 0; i < 10; ++i) {
    Transfer t = i % 2 == 0 ? Xfer(100 + i, 1, 2, i + 1) : Xfer(100 + i, 2, 1, i + 1);
    if (i % 2 == 1) t.user_data_128 = N(77);
    t.user_data_64 = i;
    if (i == 9) t.code = 5;
    batch.push_back(t);
  }
  REQUIRE(h.Transfers(batch) == std::vector<TR>(10, TR::kOk));
}

TEST_CASE("ListAccountTransfers filters pages and reverses", "[ledger]") {
  Harness h;
  Fill(h);
  auto all = h.ledger().ListAccountTransfers({.account_id = N(1), .limit = 100});
  REQUIRE(all.ok());
  CHECK(Ids(*all) == std::vector<uint64_t>{100, 101, 102, 103, 104, 105, 106, 107, 108, 109});
  CHECK(all->next_cursor_timestamp_ns == 0);

  auto debits = h.ledger().ListAccountTransfers({.account_id = N(1), .credits = false});
  REQUIRE(debits.ok());
  CHECK(Ids(*debits) == std::vector<uint64_t>{100, 102, 104, 106, 108});
  auto credits =
      h.ledger().ListAccountTransfers({.account_id = N(1), .debits = false, .reversed = true});
  REQUIRE(credits.ok());
  CHECK(Ids(*credits) == std::vector<uint64_t>{109, 107, 105, 103, 101});

  // Pages of 3 with the cursor, newest first.
  CHECK(AllPages(h, {.account_id = N(1), .limit = 3, .reversed = true}) ==
        std::vector<uint64_t>{109, 108, 107, 106, 105, 104, 103, 102, 101, 100});

  // A time range, and user data and code filters.
  const uint64_t t102 = all->transfers[2].timestamp_ns;
  const uint64_t t105 = all->transfers[5].timestamp_ns;
  auto range = h.ledger().ListAccountTransfers(
      {.account_id = N(1), .timestamp_min_ns = t102, .timestamp_max_ns = t105});
  REQUIRE(range.ok());
  CHECK(Ids(*range) == std::vector<uint64_t>{102, 103, 104, 105});
  auto range_reversed = h.ledger().ListAccountTransfers(
      {.account_id = N(1), .timestamp_min_ns = t102, .timestamp_max_ns = t105, .reversed = true});
  REQUIRE(range_reversed.ok());
  CHECK(Ids(*range_reversed) == std::vector<uint64_t>{105, 104, 103, 102});
  auto by_data = h.ledger().ListAccountTransfers(
      {.account_id = N(1), .user_data_128 = N(77), .user_data_64 = 3});
  REQUIRE(by_data.ok());
  CHECK(Ids(*by_data) == std::vector<uint64_t>{103});
  auto by_code = h.ledger().ListAccountTransfers({.account_id = N(2), .code = 5});
  REQUIRE(by_code.ok());
  CHECK(Ids(*by_code) == std::vector<uint64_t>{109});
  auto none = h.ledger().ListAccountTransfers({.account_id = N(3)});
  REQUIRE(none.ok());
  CHECK(none->transfers.empty());

  CHECK(h.ledger().ListAccountTransfers({.account_id = N(1), .limit = 0}).status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(h.ledger()
            .ListAccountTransfers({.account_id = N(1), .limit = kListLimitMax + 1})
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
  CHECK(h.ledger()
            .ListAccountTransfers({.account_id = N(1), .debits = false, .credits = false})
            .status()
            .code() == absl::StatusCode::kInvalidArgument);
}

// An account's entries of one commit are stored together: pages and ranges cut through
// those groups and across commits alike.
TEST_CASE("ListAccountTransfers pages through several commits in both directions", "[ledger]") {
  Harness h;
  REQUIRE(h.Accounts({Acct(1), Acct(2)}) ==
          std::vector<CreateAccountResult>(2, CreateAccountResult::kOk));
  std::vector<uint64_t> expected;
  for (uint64_t commit = 0; commit < 3; ++commit) {
    std::vector<Transfer> batch;
    for (uint64_t i = 0; i < 5; ++i) {
      const uint64_t id = 200 + commit * 10 + i;
      batch.push_back(i % 2 == 0 ? Xfer(id, 1, 2, 1) : Xfer(id, 2, 1, 1));
      expected.push_back(id);
    }
    REQUIRE(h.Transfers(batch) == std::vector<TR>(5, TR::kOk));
  }
  for (const bool reversed : {false, true}) {
    for (const size_t limit : {size_t{1}, size_t{2}, size_t{4}, size_t{15}}) {
      std::vector<uint64_t> want = expected;
      if (reversed) std::reverse(want.begin(), want.end());
      INFO("reversed " << reversed << ", limit " << limit);
      CHECK(AllPages(h, {.account_id = N(1), .limit = limit, .reversed = reversed}) == want);
    }
  }
  // A range from inside the first commit to inside the last, either way.
  auto all = h.ledger().ListAccountTransfers({.account_id = N(1), .limit = 100});
  REQUIRE(all.ok());
  const uint64_t from = all->transfers[3].timestamp_ns;
  const uint64_t to = all->transfers[11].timestamp_ns;
  auto range = h.ledger().ListAccountTransfers(
      {.account_id = N(1), .timestamp_min_ns = from, .timestamp_max_ns = to});
  REQUIRE(range.ok());
  CHECK(Ids(*range) == std::vector<uint64_t>(expected.begin() + 3, expected.begin() + 12));
  auto back = h.ledger().ListAccountTransfers(
      {.account_id = N(2), .timestamp_min_ns = from, .timestamp_max_ns = to, .reversed = true});
  REQUIRE(back.ok());
  CHECK(Ids(*back) == std::vector<uint64_t>(expected.rbegin() + 3, expected.rbegin() + 12));
}

// The index writes every commit gathered since its last write at once: an account's
// entries go under one key per kHistoryGroupEntriesMax of them, however many commits
// they span, and pages and ranges cut through such groups.
TEST_CASE("ListAccountTransfers pages through groups that span commits", "[ledger]") {
  Harness h;
  REQUIRE(h.Accounts({Acct(1), Acct(2)}) ==
          std::vector<CreateAccountResult>(2, CreateAccountResult::kOk));
  constexpr uint64_t kCommits = 20;
  constexpr uint64_t kPerCommit = 30;
  std::vector<uint64_t> expected;
  for (uint64_t commit = 0; commit < kCommits; ++commit) {
    std::vector<Transfer> batch;
    for (uint64_t i = 0; i < kPerCommit; ++i) {
      const uint64_t id = 1000 + commit * 100 + i;
      batch.push_back(i % 2 == 0 ? Xfer(id, 1, 2, 1) : Xfer(id, 2, 1, 1));
      expected.push_back(id);
    }
    REQUIRE(h.Transfers(batch) == std::vector<TR>(kPerCommit, TR::kOk));
    if (commit == 5) {
      // A reader does not wait for the gathering: the index is written for it.
      auto newest =
          h.ledger().ListAccountTransfers({.account_id = N(1), .limit = 1, .reversed = true});
      REQUIRE(newest.ok());
      CHECK(Ids(*newest) == std::vector<uint64_t>{expected.back()});
    }
  }
  for (const bool reversed : {false, true}) {
    for (const size_t limit : {size_t{37}, size_t{256}, size_t{600}}) {
      std::vector<uint64_t> want = expected;
      if (reversed) std::reverse(want.begin(), want.end());
      INFO("reversed " << reversed << ", limit " << limit);
      CHECK(AllPages(h, {.account_id = N(1), .limit = limit, .reversed = reversed}) == want);
    }
  }
  auto all = h.ledger().ListAccountTransfers({.account_id = N(2), .limit = 600});
  REQUIRE(all.ok());
  REQUIRE(all->transfers.size() == expected.size());
  const uint64_t from = all->transfers[45].timestamp_ns;
  const uint64_t to = all->transfers[500].timestamp_ns;
  for (const bool reversed : {false, true}) {
    std::vector<uint64_t> want(expected.begin() + 45, expected.begin() + 501);
    if (reversed) std::reverse(want.begin(), want.end());
    INFO("range, reversed " << reversed);
    CHECK(AllPages(h, {.account_id = N(1),
                       .timestamp_min_ns = from,
                       .timestamp_max_ns = to,
                       .limit = 100,
                       .reversed = reversed}) == want);
  }
  h.Close();
  auto index_store = OpenIndexStore(h.index_path());
  REQUIRE(index_store.ok());
  const store::ColumnFamily history = (*index_store)->MustFamily(kAccountTransfersFamily);
  size_t keys = 0;
  for (auto it = (*index_store)->Scan(history, {.prefix = IdKey(N(1))}); it.Valid(); it.Next()) {
    ++keys;
    CHECK(it.value().size() <= kHistoryGroupEntriesMax * kHistoryEntryBytes);
  }
  // Two writes (the reader's, the close's) of 180 and 420 entries: 1 and 2 keys, and
  // room for a write or two on a slow machine; one key per commit would be 20.
  CHECK(keys <= 6);
}

TEST_CASE("ListTransfersByReference finds the transfers of one reference", "[ledger]") {
  Harness h;
  Fill(h);
  auto page = h.ledger().ListTransfersByReference({.user_data_128 = N(77), .limit = 2});
  REQUIRE(page.ok());
  CHECK(Ids(*page) == std::vector<uint64_t>{101, 103});
  REQUIRE(page->next_cursor_timestamp_ns != 0);
  auto rest = h.ledger().ListTransfersByReference(
      {.user_data_128 = N(77), .cursor_timestamp_ns = page->next_cursor_timestamp_ns});
  REQUIRE(rest.ok());
  CHECK(Ids(*rest) == std::vector<uint64_t>{105, 107, 109});
  CHECK(rest->next_cursor_timestamp_ns == 0);
  auto reversed = h.ledger().ListTransfersByReference({.user_data_128 = N(77), .reversed = true});
  REQUIRE(reversed.ok());
  CHECK(Ids(*reversed) == std::vector<uint64_t>{109, 107, 105, 103, 101});
}

// What a crash can leave of the index store (written without a WAL): nothing, or an
// older state. Open indexes the commits it does not reach, each once.
TEST_CASE("Open rebuilds a lost or stale index from the events", "[ledger]") {
  namespace fs = std::filesystem;
  Harness h;
  Fill(h);
  h.Close();
  {
    // A clean close keeps the index whole: the next Open has nothing to rebuild.
    auto index_store = OpenIndexStore(h.index_path());
    REQUIRE(index_store.ok());
    auto through = IndexWriter(index_store->get()).StoredThrough();
    REQUIRE(through.ok());
    CHECK(*through > kStartNs);
  }
  // Reaches transfers 100..109 only.
  const std::string stale = h.path() + "/index-stale";
  fs::copy(h.index_path(), stale, fs::copy_options::recursive);
  h.Open();
  std::vector<Transfer> later;
  for (uint64_t i = 0; i < 4; ++i) {
    Transfer t = Xfer(200 + i, 3, 1, 1);
    t.user_data_128 = N(77);
    later.push_back(t);
  }
  h.Accounts({Acct(4)});  // a commit with no transfer in between
  REQUIRE(h.Transfers({Xfer(190, 1, 3, 50)}) == std::vector<TR>{TR::kOk});
  REQUIRE(h.Transfers(later) == std::vector<TR>(4, TR::kOk));
  const std::vector<uint64_t> all_of_1 = {100, 101, 102, 103, 104, 105, 106, 107,
                                          108, 109, 190, 200, 201, 202, 203};
  const std::vector<uint64_t> all_of_77 = {101, 103, 105, 107, 109, 200, 201, 202, 203};
  auto check = [&](const char* when) {
    INFO(when);
    auto history = h.ledger().ListAccountTransfers({.account_id = N(1)});
    REQUIRE(history.ok());
    CHECK(Ids(*history) == all_of_1);
    auto of_3 = h.ledger().ListAccountTransfers({.account_id = N(3), .reversed = true});
    REQUIRE(of_3.ok());
    CHECK(Ids(*of_3) == std::vector<uint64_t>{203, 202, 201, 200, 190});
    auto referenced = h.ledger().ListTransfersByReference({.user_data_128 = N(77)});
    REQUIRE(referenced.ok());
    CHECK(Ids(*referenced) == all_of_77);
  };
  check("as written");

  h.Close();
  fs::remove_all(h.index_path());
  fs::rename(stale, h.index_path());
  h.Open();
  check("after a crash that lost the index's last commits");

  h.Close();
  fs::remove_all(h.index_path());
  h.Open();
  check("after the index store was deleted");
  h.Reopen();
  check("reopened");
}

TEST_CASE("Lookups answer nullopt for unknown ids", "[ledger]") {
  Harness h;
  Fill(h);
  auto transfers = h.ledger().LookupTransfers(std::vector<Id>{N(100), N(5000)});
  REQUIRE(transfers.ok());
  CHECK((*transfers)[0].has_value());
  CHECK(!(*transfers)[1].has_value());
  auto accounts = h.ledger().LookupAccounts(std::vector<Id>{N(1), N(5000)});
  REQUIRE(accounts.ok());
  CHECK((*accounts)[0]->debits_posted_msat == 1 + 3 + 5 + 7 + 9);
  CHECK(!(*accounts)[1].has_value());
  CHECK(h.ledger().LookupPending(N(100)).status().code() == absl::StatusCode::kNotFound);
  CHECK(h.ledger().LookupAccounts(std::vector<Id>(kLookupIdsMax + 1)).status().code() ==
        absl::StatusCode::kInvalidArgument);
}

TEST_CASE("The change feed lists events since a timestamp and waits for new ones", "[ledger]") {
  Harness h;
  Fill(h);
  auto events = h.ledger().ListTransferEvents(0, 4, absl::ZeroDuration());
  REQUIRE(events.ok());
  REQUIRE(events->size() == 4);
  CHECK((*events)[0].transfer.id == N(100));
  CHECK((*events)[0].type == TransferEventType::kCreated);
  auto rest = h.ledger().ListTransferEvents(events->back().timestamp_ns, 100, absl::ZeroDuration());
  REQUIRE(rest.ok());
  REQUIRE(rest->size() == 6);
  CHECK(rest->back().transfer.id == N(109));
  const uint64_t cursor = rest->back().timestamp_ns;

  auto empty = h.ledger().ListTransferEvents(cursor, 100, absl::Milliseconds(10));
  REQUIRE(empty.ok());
  CHECK(empty->empty());

  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(h.Transfer1(Xfer(200, 1, 2, 1)) == TR::kOk);
  });
  auto waited = h.ledger().ListTransferEvents(cursor, 100, absl::Seconds(10));
  writer.join();
  REQUIRE(waited.ok());
  REQUIRE(waited->size() == 1);
  CHECK((*waited)[0].transfer.id == N(200));
}

}  // namespace
}  // namespace bitcontent::ledger
