// The wallet under SIGKILL: several clients send batches of payments through the
// internal ledger API and retry each batch with the same transfer ids until it is
// acknowledged, while the wallet process is killed and restarted again and again.
// After every restart the books balance and no wallet is past its constraint; at the
// end every acknowledged transfer is in the ledger exactly once (each balance equals
// what the transfers present in the ledger add up to) and no retry was applied twice.
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "bitcontent/wallet/v1/wallet_internal_service.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/launch/process.h"
#include "services/wallet/wallet_ids.h"
#include "tests/integration/harness.h"

namespace bitcontent {
namespace {

namespace v1 = wallet::v1;

constexpr int kMembers = 16;
constexpr int kClients = 4;
constexpr int kBatchesPerClient = 300;
constexpr int kTransfersPerBatch = 40;
constexpr int kKills = 5;
constexpr uint64_t kFunding = 1'000'000;

ledger::Id MemberId(int i) { return {.high = 0x7e57, .low = static_cast<uint64_t>(i + 1)}; }
ledger::Id PaymentId(int client, int batch, int i) {
  return {.high = 0xc0ffee00 + static_cast<uint64_t>(client),
          .low = static_cast<uint64_t>(batch) * 1000 + static_cast<uint64_t>(i) + 1};
}
ledger::Id FundingId(int i) { return {.high = 0xf0, .low = static_cast<uint64_t>(i + 1)}; }
const ledger::Id kAdjustments = wallet::SystemAccountId(v1::ACCOUNT_CODE_OPERATOR_ADJUSTMENTS);

std::unique_ptr<v1::WalletInternalService::Stub> Stub(testing::TestSuite& suite) {
  return v1::WalletInternalService::NewStub(kit::NewChannel(suite->addresses("wallet").at("grpc")));
}

v1::Transfer Transfer(const ledger::Id& id, const ledger::Id& from, const ledger::Id& to,
                      uint64_t amount) {
  v1::Transfer transfer;
  transfer.set_id(ledger::IdToBytes(id));
  transfer.set_debit_account_id(ledger::IdToBytes(from));
  transfer.set_credit_account_id(ledger::IdToBytes(to));
  transfer.set_amount_msat(amount);
  transfer.set_ledger(wallet::kBitcoinLedger);
  transfer.set_code(v1::TRANSFER_CODE_PAYMENT);
  return transfer;
}

// Sends `request` until an answer comes (the wallet may be down); bounded by `tries`.
std::optional<v1::CreateTransfersResponse> SendUntilAnswered(
    testing::TestSuite& suite, const v1::CreateTransfersRequest& request, int* retries) {
  for (int attempt = 0; attempt < 600; ++attempt) {
    v1::CreateTransfersResponse response;
    auto context = kit::NewCallContext(absl::Seconds(2));
    if (Stub(suite)->CreateTransfers(context.get(), request, &response).ok()) return response;
    ++*retries;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::nullopt;
}

// Every member account and the adjustments account, as the ledger has them now.
std::vector<v1::LedgerAccount> Accounts(testing::TestSuite& suite) {
  v1::LookupAccountsRequest request;
  for (int i = 0; i < kMembers; ++i) request.add_ids(ledger::IdToBytes(MemberId(i)));
  request.add_ids(ledger::IdToBytes(kAdjustments));
  v1::LookupAccountsResponse response;
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto context = kit::NewCallContext(absl::Seconds(2));
    if (Stub(suite)->LookupAccounts(context.get(), request, &response).ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(response.accounts_size() == kMembers + 1);
  return {response.accounts().begin(), response.accounts().end()};
}

void CheckBooks(testing::TestSuite& suite) {
  uint64_t debits = 0, credits = 0;
  for (const v1::LedgerAccount& account : Accounts(suite)) {
    debits += account.debits_posted_msat();
    credits += account.credits_posted_msat();
    if (account.flags().debits_must_not_exceed_credits()) {
      CHECK(account.debits_posted_msat() + account.debits_pending_msat() <=
            account.credits_posted_msat());
    }
  }
  CHECK(debits == credits);
}

TEST_CASE(
    "SIGKILLed again and again under retried payment load the wallet loses and doubles nothing",
    "[integration][wallet][crash]") {
  testing::TestSuite suite({"wallet"}, {.redis = false});
  {
    v1::CreateAccountsRequest accounts;
    for (int i = 0; i < kMembers; ++i) {
      v1::LedgerAccount& account = *accounts.add_accounts();
      account.set_id(ledger::IdToBytes(MemberId(i)));
      account.set_ledger(wallet::kBitcoinLedger);
      account.set_code(v1::ACCOUNT_CODE_MEMBER_WALLET);
      account.mutable_flags()->set_debits_must_not_exceed_credits(true);
    }
    v1::CreateAccountsResponse created;
    auto context = kit::NewCallContext(absl::Seconds(10));
    REQUIRE(Stub(suite)->CreateAccounts(context.get(), accounts, &created).ok());
    v1::CreateTransfersRequest funding;
    for (int i = 0; i < kMembers; ++i) {
      *funding.add_transfers() = Transfer(FundingId(i), kAdjustments, MemberId(i), kFunding);
    }
    int retries = 0;
    REQUIRE(SendUntilAnswered(suite, funding, &retries).has_value());
  }

  // What each client was told about each transfer id, as the first answer said and as
  // every retry's answer said.
  std::mutex mu;
  std::map<std::pair<uint64_t, uint64_t>, bool> acknowledged;  // id -> in the ledger
  std::atomic<int> retries = 0, mismatches = 0, unanswered = 0, done_clients = 0;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      std::mt19937_64 random(c);
      for (int b = 0; b < kBatchesPerClient; ++b) {
        v1::CreateTransfersRequest batch;
        for (int i = 0; i < kTransfersPerBatch; ++i) {
          const int from = static_cast<int>(random() % kMembers);
          const int to = (from + 1 + static_cast<int>(random() % (kMembers - 1))) % kMembers;
          *batch.add_transfers() =
              Transfer(PaymentId(c, b, i), MemberId(from), MemberId(to), 1 + random() % 40'000);
        }
        int tries = 0;
        std::optional<v1::CreateTransfersResponse> answer = SendUntilAnswered(suite, batch, &tries);
        retries += tries;
        if (!answer.has_value()) {
          ++unanswered;
          continue;
        }
        // A retry of an acknowledged batch must say EXISTS, never apply it again.
        std::optional<v1::CreateTransfersResponse> again = SendUntilAnswered(suite, batch, &tries);
        std::lock_guard lock(mu);
        for (int i = 0; i < kTransfersPerBatch; ++i) {
          const v1::CreateTransferResult result = answer->results(i);
          const bool in_ledger = result == v1::CREATE_TRANSFER_RESULT_OK ||
                                 result == v1::CREATE_TRANSFER_RESULT_EXISTS;
          acknowledged[{PaymentId(c, b, i).high, PaymentId(c, b, i).low}] = in_ledger;
          if (again.has_value()) {
            const v1::CreateTransferResult second = again->results(i);
            if (in_ledger != (second == v1::CREATE_TRANSFER_RESULT_EXISTS)) ++mismatches;
          }
        }
      }
      ++done_clients;
    });
  }

  for (int kill = 0; kill < kKills && done_clients < kClients; ++kill) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    launch::Process* wallet = suite->process("wallet");
    REQUIRE(wallet != nullptr);
    wallet->Signal(SIGKILL);
    (void)suite->StopService("wallet", absl::Seconds(5));
    REQUIRE(suite->StartService("wallet").ok());
    CheckBooks(suite);
  }
  for (std::thread& client : clients) client.join();
  CHECK(unanswered == 0);
  CHECK(mismatches == 0);
  INFO("client retries across the kills: " << retries.load());
  CHECK(retries > 0);  // The kills did land during the load.

  // Every transfer the clients were told is in the ledger is there exactly once: each
  // balance is the funding plus what those transfers move, and the failed ones are not.
  std::map<std::pair<uint64_t, uint64_t>, bool> copy;
  {
    std::lock_guard lock(mu);
    copy = acknowledged;
  }
  std::vector<int64_t> expected(kMembers, static_cast<int64_t>(kFunding));
  // Looked up in calls of at most 8,192 ids, the API's limit.
  std::vector<v1::Transfer> found;
  v1::LookupTransfersRequest lookup;
  const auto flush = [&] {
    v1::LookupTransfersResponse page;
    auto context = kit::NewCallContext(absl::Seconds(10));
    REQUIRE(Stub(suite)->LookupTransfers(context.get(), lookup, &page).ok());
    found.insert(found.end(), page.transfers().begin(), page.transfers().end());
    lookup.clear_ids();
  };
  for (const auto& [id, in_ledger] : copy) {
    lookup.add_ids(ledger::IdToBytes({id.first, id.second}));
    if (lookup.ids_size() == 8192) flush();
  }
  if (lookup.ids_size() > 0) flush();
  size_t present = 0;
  for (const v1::Transfer& transfer : found) {
    const ledger::Id id = ledger::IdFromBytes(transfer.id());
    CHECK(copy.at({id.high, id.low}));
    ++present;
    expected[ledger::IdFromBytes(transfer.debit_account_id()).low - 1] -=
        static_cast<int64_t>(transfer.amount_msat());
    expected[ledger::IdFromBytes(transfer.credit_account_id()).low - 1] +=
        static_cast<int64_t>(transfer.amount_msat());
  }
  size_t acknowledged_in_ledger = 0;
  for (const auto& [id, in_ledger] : copy) acknowledged_in_ledger += in_ledger ? 1 : 0;
  CHECK(present == acknowledged_in_ledger);
  const std::vector<v1::LedgerAccount> accounts = Accounts(suite);
  for (int i = 0; i < kMembers; ++i) {
    const int64_t balance = static_cast<int64_t>(accounts[i].credits_posted_msat()) -
                            static_cast<int64_t>(accounts[i].debits_posted_msat());
    CHECK(balance == expected[i]);
  }
  CheckBooks(suite);

  // Each member's history (an index the wallet writes without a WAL and catches up at
  // each start) lists every transfer that touches it, its funding included, each once.
  std::map<int, std::multiset<std::pair<uint64_t, uint64_t>>> touching;
  for (const v1::Transfer& transfer : found) {
    const ledger::Id id = ledger::IdFromBytes(transfer.id());
    touching[ledger::IdFromBytes(transfer.debit_account_id()).low - 1].insert({id.high, id.low});
    touching[ledger::IdFromBytes(transfer.credit_account_id()).low - 1].insert({id.high, id.low});
  }
  for (int i = 0; i < kMembers; ++i) {
    touching[i].insert({FundingId(i).high, FundingId(i).low});
    std::multiset<std::pair<uint64_t, uint64_t>> listed;
    v1::ListAccountTransfersRequest request;
    request.set_account_id(ledger::IdToBytes(MemberId(i)));
    request.set_page_size(1000);
    for (int page = 0; page < 100; ++page) {
      v1::ListAccountTransfersResponse response;
      auto context = kit::NewCallContext(absl::Seconds(10));
      REQUIRE(Stub(suite)->ListAccountTransfers(context.get(), request, &response).ok());
      for (const v1::Transfer& transfer : response.transfers()) {
        const ledger::Id id = ledger::IdFromBytes(transfer.id());
        listed.insert({id.high, id.low});
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    INFO("member " << i);
    CHECK(listed == touching[i]);
  }
}

}  // namespace
}  // namespace bitcontent
