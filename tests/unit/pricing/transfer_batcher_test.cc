// The wallet transfer batcher: chains of concurrent purchases sent to the real wallet
// service together are answered each as if sent alone (a chain short of funds fails
// whole and alone, the others commit, every balance exact), and a chain out of shape
// is refused before it could swallow another caller's.
#include "services/pricing/transfer_batcher.h"

#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/crypto/random.h"
#include "services/wallet/wallet_ids.h"
#include "tests/unit/pricing/pricing_fixture.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::pricing::testing {
namespace {

namespace wv1 = wallet::v1;

// buyer -> seller `share_msat`, then buyer -> platform fees `fee_msat`, linked.
std::vector<wv1::Transfer> Chain(PricingFixture& f, const std::string& buyer,
                                 const std::string& seller, uint64_t share_msat,
                                 uint64_t fee_msat) {
  std::vector<wv1::Transfer> chain(2);
  const std::string debit = Ok(f.ledger().MemberAccount(buyer));
  chain[0].set_credit_account_id(Ok(f.ledger().MemberAccount(seller)));
  chain[0].set_amount_msat(share_msat);
  chain[0].mutable_flags()->set_linked(true);
  chain[1].set_credit_account_id(Ok(f.ledger().PlatformFeesAccount()));
  chain[1].set_amount_msat(fee_msat);
  for (wv1::Transfer& transfer : chain) {
    transfer.set_id(crypto::RandomBytes(16));
    transfer.set_debit_account_id(debit);
    transfer.set_ledger(wallet::kBitcoinLedger);
    transfer.set_code(wv1::TRANSFER_CODE_PURCHASE_SHARE);
  }
  return chain;
}

TEST_CASE("Chains sent at once are each answered alone, and only the unfunded ones fail") {
  store::TempDir dir;
  PricingFixture f(dir.path());
  constexpr int kBuyers = 24;
  const std::string seller = "seller";
  std::vector<std::string> buyers;
  std::vector<std::vector<wv1::Transfer>> chains;
  for (int i = 0; i < kBuyers; ++i) {
    buyers.push_back(absl::StrCat("buyer", i));
    if (i % 3 != 0) f.wallet().Fund(buyers.back(), 1000);  // Every third has nothing.
    chains.push_back(Chain(f, buyers.back(), seller, 600, 100));
  }
  std::vector<absl::StatusOr<std::vector<wv1::CreateTransferResult>>> answers(kBuyers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kBuyers; ++i) {
    threads.emplace_back([&, i] { answers[i] = f.ledger().CreateTransfers(chains[i]); });
  }
  for (std::thread& thread : threads) thread.join();

  int paid = 0;
  for (int i = 0; i < kBuyers; ++i) {
    INFO("buyer " << i);
    REQUIRE(answers[i].ok());
    REQUIRE(answers[i]->size() == 2);
    if (i % 3 != 0) {
      CHECK((*answers[i])[0] == wv1::CREATE_TRANSFER_RESULT_OK);
      CHECK((*answers[i])[1] == wv1::CREATE_TRANSFER_RESULT_OK);
      CHECK(f.wallet().Balance(buyers[i]) == 300);
      ++paid;
    } else {
      // The first transfer of the chain is refused for its own reason, the second
      // for the chain's; nothing of it moved.
      CHECK((*answers[i])[0] == wv1::CREATE_TRANSFER_RESULT_EXCEEDS_CREDITS);
      CHECK((*answers[i])[1] == wv1::CREATE_TRANSFER_RESULT_LINKED_EVENT_FAILED);
      CHECK(f.wallet().Balance(buyers[i]) == 0);
    }
  }
  CHECK(f.wallet().Balance(seller) == uint64_t{600} * paid);
  CHECK(f.wallet().PlatformFees() == uint64_t{100} * paid);

  // The same chain again is the same transfers: EXISTS, nothing moves twice.
  const absl::StatusOr<std::vector<wv1::CreateTransferResult>> again =
      f.ledger().CreateTransfers(chains[1]);
  REQUIRE(again.ok());
  CHECK((*again)[0] == wv1::CREATE_TRANSFER_RESULT_EXISTS);
  CHECK(f.wallet().Balance(buyers[1]) == 300);
}

TEST_CASE("A chain out of shape is refused and moves nothing") {
  store::TempDir dir;
  PricingFixture f(dir.path());
  f.wallet().Fund("buyer", 1000);
  std::vector<wv1::Transfer> open_end = Chain(f, "buyer", "seller", 600, 100);
  open_end.back().mutable_flags()->set_linked(true);
  std::vector<wv1::Transfer> broken = Chain(f, "buyer", "seller", 600, 100);
  broken.front().mutable_flags()->set_linked(false);
  for (const auto& chain : {open_end, broken, std::vector<wv1::Transfer>{}}) {
    const absl::StatusOr<std::vector<wv1::CreateTransferResult>> answer =
        f.ledger().CreateTransfers(chain);
    CHECK(answer.status().code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(f.wallet().Balance("buyer") == 1000);
  CHECK(f.wallet().Balance("seller") == 0);
}

}  // namespace
}  // namespace bitcontent::pricing::testing
