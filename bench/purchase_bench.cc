// Purchases through the gateway, as readers of a news site buy articles, each one linked
// ledger chain (buyer -> seller's share, buyer -> platform fee) committed by the wallet,
// then the purchase, entitlement and earnings committed by pricing. Two ways a client
// buys: in one call (POST /v1/purchases with the subject, a price guard and an
// Idempotency-Key: what an app or `bitcontent buy` does for a buyer who accepted the
// price), and with a quote shown first (POST /v1/quotes, then POST /v1/purchases with its
// token).
//
// Starts accounts, metadata, wallet, pricing and the gateway on loopback. A seller
// creates kResources paywall resources; kBuyers funded members, each on its own
// keep-alive connection, buy them one after another for kRun per way and round (each
// pair of buyer and resource once, so every purchase moves money). The two ways take
// turns for kRounds rounds, so that a slow minute of this shared machine falls on both;
// single runs swung by a fifth. Prints purchases_per_s (the median round),
// purchase_p50_ms and purchase_p99_ms (one call, over all rounds), then
// quoted_purchases_per_s (quote and payment pairs), quoted_purchase_p99_ms (the payment
// call) and quote_p99_ms, and each round on a comment line.
//
// kBuyers is chosen to saturate the suite, as a capacity figure needs: with 16 buyers the
// machine was 14 % idle and the rate was the buyers' own limit (16 over the p50
// latency); from 64 on it stops rising while latency grows (docs/benchmarks.md has the
// sweep), so purchase_buyers is printed beside the rate.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "bitcontent/pricing/v1/paywall_service.pb.h"
#include "bitcontent/pricing/v1/pricing_service.pb.h"
#include "bitcontent/wallet/v1/wallet_internal_service.grpc.pb.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"
#include "libs/client/api_client.h"
#include "libs/kit/channel.h"
#include "services/wallet/wallet_ids.h"

namespace {

namespace fs = std::filesystem;
using namespace bitcontent;

constexpr int kBuyers = 64;
constexpr int kRounds = 3;
// Each way of each round buys its own slice of the resources: more than a buyer gets
// through in kRun (about 30 a second each now).
constexpr int kSliceResources = 1000;
constexpr int kResources = 2 * kRounds * kSliceResources;
constexpr int kSetupThreads = 4;
constexpr absl::Duration kRun = absl::Seconds(6);
constexpr absl::Duration kCallTimeout = absl::Seconds(10);
constexpr uint64_t kPriceMsat = 2'500;

int Fail(absl::string_view what, const absl::Status& status) {
  return bench::Fail("purchase_bench", what, status);
}

absl::StatusOr<std::unique_ptr<client::ApiClient>> Connect(const std::string& rest) {
  return client::ApiClient::Connect(rest, kCallTimeout);
}

// The seller's resources, created by kSetupThreads connections; their names in order.
absl::StatusOr<std::vector<std::string>> CreateResources(const std::string& rest,
                                                         const bench::Member& seller) {
  std::vector<std::string> names(kResources);
  std::atomic<bool> failed = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < kSetupThreads; ++t) {
    threads.emplace_back([&, t] {
      absl::StatusOr<std::unique_ptr<client::ApiClient>> api = Connect(rest);
      for (int i = t; api.ok() && i < kResources && !failed; i += kSetupThreads) {
        pricing::v1::CreatePaywallResourceRequest request;
        pricing::v1::PaywallResource& resource = *request.mutable_paywall_resource();
        resource.set_external_id(absl::StrCat("article-", i));
        resource.set_title(absl::StrCat("Article ", i));
        resource.set_price_msat(kPriceMsat);
        request.set_request_id(absl::StrCat("bench-resource-", i));
        pricing::v1::PaywallResource made;
        if (!(*api)
                 ->Call("POST", "/v1/users/me/paywallResources", &request, &made, seller.token)
                 .ok()) {
          failed = true;
        }
        names[i] = made.name();
      }
      if (!api.ok()) failed = true;
    });
  }
  for (std::thread& thread : threads) thread.join();
  if (failed) return absl::UnavailableError("cannot create the paywall resources");
  return names;
}

// Opens each buyer's wallet (GET makes it) and credits it from the operator adjustments
// account, as a deposit would.
absl::Status Fund(const std::string& rest, const std::string& wallet_target,
                  const std::vector<bench::Member>& buyers) {
  namespace wv1 = wallet::v1;
  absl::StatusOr<std::unique_ptr<client::ApiClient>> api = Connect(rest);
  if (!api.ok()) return api.status();
  wv1::CreateTransfersRequest funding;
  for (size_t b = 0; b < buyers.size(); ++b) {
    wv1::Wallet opened;
    if (absl::Status s =
            (*api)->Call("GET", "/v1/users/me/wallet", nullptr, &opened, buyers[b].token);
        !s.ok()) {
      return s;
    }
    wv1::Transfer& transfer = *funding.add_transfers();
    transfer.set_id(ledger::IdToBytes({0xbe7cf00d, b + 1}));
    transfer.set_debit_account_id(
        ledger::IdToBytes(wallet::SystemAccountId(wv1::ACCOUNT_CODE_OPERATOR_ADJUSTMENTS)));
    transfer.set_credit_account_id(ledger::IdToBytes(wallet::MemberAccountId(buyers[b].user_id)));
    transfer.set_amount_msat(uint64_t{1} << 50);
    transfer.set_ledger(wallet::kBitcoinLedger);
    transfer.set_code(wv1::TRANSFER_CODE_ADJUSTMENT);
  }
  auto stub = wv1::WalletInternalService::NewStub(kit::NewChannel(wallet_target));
  wv1::CreateTransfersResponse response;
  auto context = kit::NewCallContext(kCallTimeout);
  if (!stub->CreateTransfers(context.get(), funding, &response).ok()) {
    return absl::UnavailableError("the wallet refused the funding transfers");
  }
  for (const int result : response.results()) {
    if (result != wv1::CREATE_TRANSFER_RESULT_OK) {
      return absl::InternalError(absl::StrCat("funding transfer result ", result));
    }
  }
  return absl::OkStatus();
}

struct Timings {
  std::vector<double> quote_ms;
  std::vector<double> purchase_ms;
};

enum class Flow { kOneCall, kQuoted };

// Buys `subject` for `buyer` the way `flow` says; the purchase is in `purchase`.
absl::Status BuyOne(client::ApiClient& api, const bench::Member& buyer, const std::string& subject,
                    Flow flow, Timings* timings, pricing::v1::Purchase* purchase) {
  pricing::v1::CreatePurchaseRequest request;
  http::Headers headers;
  absl::Time asked = absl::Now();
  if (flow == Flow::kOneCall) {
    request.set_subject(subject);
    request.set_max_amount_msat(kPriceMsat);
    headers.Set("Idempotency-Key", absl::StrCat("buy-", subject));
  } else {
    pricing::v1::CreateQuoteRequest quote_request;
    quote_request.set_subject(subject);
    pricing::v1::Quote quote;
    if (absl::Status s = api.Call("POST", "/v1/quotes", &quote_request, &quote, buyer.token);
        !s.ok()) {
      return s;
    }
    const absl::Time quoted = absl::Now();
    timings->quote_ms.push_back(absl::ToDoubleMilliseconds(quoted - asked));
    asked = quoted;
    request.set_quote_token(quote.quote_token());
  }
  absl::Status s = api.Call("POST", "/v1/purchases", &request, purchase, buyer.token, headers);
  if (!s.ok()) return s;
  timings->purchase_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - asked));
  return absl::OkStatus();
}

// One buyer buying resources in order, from `first` on (kSliceResources at most), until
// `end`; the first failure stops everyone.
void Buy(const std::string& rest, const bench::Member& buyer,
         const std::vector<std::string>& resources, size_t first, Flow flow, absl::Time end,
         std::atomic<bool>* failed, absl::Status* failure, Timings* timings) {
  absl::StatusOr<std::unique_ptr<client::ApiClient>> api = Connect(rest);
  if (!api.ok()) {
    *failure = api.status();
    *failed = true;
    return;
  }
  const size_t last = std::min(resources.size(), first + kSliceResources);
  for (size_t i = first; i < last && absl::Now() < end && !*failed; ++i) {
    pricing::v1::Purchase purchase;
    absl::Status s = BuyOne(**api, buyer, resources[i], flow, timings, &purchase);
    if (s.ok() && purchase.amount_msat() != kPriceMsat) {
      s = absl::InternalError(absl::StrCat("charged ", purchase.amount_msat(), " msat"));
    }
    if (!s.ok()) {
      *failure = s;
      *failed = true;
      return;
    }
  }
}

// Every buyer buying at once for kRun, the way `flow` says, from resource `first`.
absl::StatusOr<std::pair<Timings, double>> Measure(const std::string& rest,
                                                   const std::vector<bench::Member>& buyers,
                                                   const std::vector<std::string>& resources,
                                                   size_t first, Flow flow) {
  std::vector<Timings> timings(buyers.size());
  std::vector<absl::Status> failures(buyers.size());
  std::atomic<bool> failed = false;
  const absl::Time start = absl::Now();
  std::vector<std::thread> clients;
  for (size_t b = 0; b < buyers.size(); ++b) {
    clients.emplace_back(Buy, rest, std::cref(buyers[b]), std::cref(resources), first, flow,
                         start + kRun, &failed, &failures[b], &timings[b]);
  }
  for (std::thread& client : clients) client.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  for (const absl::Status& failure : failures) {
    if (!failure.ok()) return failure;
  }
  Timings all;
  for (const Timings& t : timings) {
    all.quote_ms.insert(all.quote_ms.end(), t.quote_ms.begin(), t.quote_ms.end());
    all.purchase_ms.insert(all.purchase_ms.end(), t.purchase_ms.begin(), t.purchase_ms.end());
  }
  std::sort(all.quote_ms.begin(), all.quote_ms.end());
  std::sort(all.purchase_ms.begin(), all.purchase_ms.end());
  return std::make_pair(std::move(all), seconds);
}

// Adds a round measured by Measure: its rate to `rates`, its timings to `all`.
void Record(const std::pair<Timings, double>& round, std::vector<double>* rates, Timings* all) {
  rates->push_back(static_cast<double>(round.first.purchase_ms.size()) / round.second);
  all->purchase_ms.insert(all->purchase_ms.end(), round.first.purchase_ms.begin(),
                          round.first.purchase_ms.end());
  all->quote_ms.insert(all->quote_ms.end(), round.first.quote_ms.begin(),
                       round.first.quote_ms.end());
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path build =
      fs::absolute(argc > 1 ? fs::path(argv[1]) : fs::path(BITCONTENT_BINARY_DIR));
  const fs::path var = build / "bench-runs" / absl::StrCat("purchase-", getpid());
  absl::StatusOr<std::unique_ptr<launch::Suite>> suite =
      bench::StartSuite(build, var, {"accounts", "metadata", "wallet", "pricing", "gateway"});
  if (!suite.ok()) return Fail("cannot start the suite", suite.status());
  const std::string rest = (*suite)->addresses("gateway").at("public_rest");

  absl::StatusOr<bench::Member> seller = bench::SignUp(rest, var / "seller", "news@example.com");
  if (!seller.ok()) return Fail("cannot sign the seller up", seller.status());
  std::vector<bench::Member> buyers;
  for (int b = 0; b < kBuyers; ++b) {
    const std::string email = absl::StrCat("reader", b, "@example.com");
    absl::StatusOr<bench::Member> buyer = bench::SignUp(rest, var / email, email);
    if (!buyer.ok()) return Fail("cannot sign a buyer up", buyer.status());
    buyers.push_back(*std::move(buyer));
  }
  absl::StatusOr<std::vector<std::string>> resources = CreateResources(rest, *seller);
  if (!resources.ok()) return Fail("setup", resources.status());
  if (absl::Status s = Fund(rest, (*suite)->addresses("wallet").at("grpc"), buyers); !s.ok()) {
    return Fail("cannot fund the buyers", s);
  }

  std::fprintf(stderr, "# purchase_bench: measuring %d rounds of %.0f s each way\n", kRounds,
               absl::ToDoubleSeconds(kRun));
  std::vector<double> one_call_rates, quoted_rates;
  Timings one_call, quoted;
  std::string shown;
  for (int round = 0; round < kRounds; ++round) {
    const size_t first = 2 * round * kSliceResources;
    absl::StatusOr<std::pair<Timings, double>> direct =
        Measure(rest, buyers, *resources, first, Flow::kOneCall);
    if (!direct.ok()) return Fail("a purchase failed", direct.status());
    absl::StatusOr<std::pair<Timings, double>> with_quote =
        Measure(rest, buyers, *resources, first + kSliceResources, Flow::kQuoted);
    if (!with_quote.ok()) return Fail("a quoted purchase failed", with_quote.status());
    Record(*direct, &one_call_rates, &one_call);
    Record(*with_quote, &quoted_rates, &quoted);
    absl::StrAppend(&shown, round == 0 ? "" : "; ", static_cast<int64_t>(one_call_rates.back()),
                    "/", static_cast<int64_t>(quoted_rates.back()));
  }
  for (Timings* all : {&one_call, &quoted}) {
    std::sort(all->purchase_ms.begin(), all->purchase_ms.end());
    std::sort(all->quote_ms.begin(), all->quote_ms.end());
  }
  std::printf("purchase_buyers %d buyers\n", kBuyers);
  std::printf("purchases_per_s %.0f purchases/s\n", bench::Median(one_call_rates));
  std::printf("purchase_p50_ms %.2f ms\n", bench::Percentile(one_call.purchase_ms, 0.50));
  std::printf("purchase_p99_ms %.2f ms\n", bench::Percentile(one_call.purchase_ms, 0.99));
  std::printf("quoted_purchases_per_s %.0f purchases/s\n", bench::Median(quoted_rates));
  std::printf("quoted_purchase_p99_ms %.2f ms\n", bench::Percentile(quoted.purchase_ms, 0.99));
  std::printf("quote_p99_ms %.2f ms\n", bench::Percentile(quoted.quote_ms, 0.99));
  std::printf("# rounds (purchases/s, one call / quoted): %s\n", shown.c_str());
  (void)(*suite)->Stop();
  std::error_code ignored;
  fs::remove_all(var, ignored);
  return 0;
}
