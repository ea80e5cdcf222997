// Purchases through the gateway, as readers of a news site buy articles, each one linked
// ledger chain (buyer -> seller's share, buyer -> platform fee) committed by the wallet,
// then the purchase, entitlement and earnings committed by pricing. Two ways a client
// buys: in one call (POST /v1/purchases with the subject, a price guard and an
// Idempotency-Key: what an app or `bitcontent buy` does for a buyer who accepted the
// price), and with a quote shown first (POST /v1/quotes, then POST /v1/purchases with its
// token).
//
// Starts accounts, metadata, wallet, pricing and the gateway on loopback. A seller
// creates kResources paywall resources; kBuyers funded members buy them for kRun per way
// and round, driven by wrk over kBuyers keep-alive connections (bench/purchases.lua:
// each pair of buyer and resource once, so every purchase moves money, and each answer
// checked for the price charged). wrk's two epoll threads cost the suite far less CPU
// than a thread per buyer did (15 % of the machine's samples went to that client). The
// two ways take turns for kRounds rounds, so that a slow minute of this shared machine
// falls on both; single runs swung by a fifth. At the end the buyers' wallets must show
// every answered purchase charged once. Prints the medians of the rounds:
// purchases_per_s, purchase_p50_ms and purchase_p99_ms (one call), then
// quoted_purchases_per_s (quote and payment pairs) and quoted_call_p99_ms (quotes and
// payments together); before them, on comment lines, each round's rate and the CPU time
// each process spent per purchase.
//
// kBuyers is chosen to saturate the suite, as a capacity figure needs: under wrk, 64
// buyers left the machine about a tenth idle; at 128 the processes use the two cores
// (their CPU per purchase times the rate), and from 256 on the rate stops rising while
// latency grows (docs/benchmarks.md has the sweep), so purchase_buyers is printed beside
// the rate. An optional second argument sets another number of buyers.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "bench/wrk_run.h"
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

constexpr int kBuyers = 128;
constexpr int kRounds = 3;
// Each way of each round buys its own slice of the resources: more than a buyer gets
// through in kRun (about 30 a second each now).
constexpr int kSliceResources = 1000;
constexpr int kResources = 2 * kRounds * kSliceResources;
constexpr int kSetupThreads = 4;
constexpr absl::Duration kRun = absl::Seconds(6);
constexpr absl::Duration kCallTimeout = absl::Seconds(10);
constexpr uint64_t kPriceMsat = 2'500;
constexpr uint64_t kFundingMsat = uint64_t{1} << 50;  // each buyer's, more than they spend
constexpr int kWrkThreads = 2;                        // one per core

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
    transfer.set_amount_msat(kFundingMsat);
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

enum class Flow { kOneCall, kQuoted };

// The processes whose CPU time a round reports, wrk last.
const std::vector<std::string> kProcesses = {"pricing", "gateway",  "wallet",
                                             "redis",   "accounts", "metadata"};

struct Round {
  double purchases_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;  // of every call: the payment, and for kQuoted the quote too
  int64_t purchases = 0;
  std::vector<double> cpu_us_per_purchase = {};  // kProcesses', then wrk's
};

// A figure of the line the script's done() printed: "purchases N wrong N exhausted N
// p50_ms X", names and values in turn.
absl::StatusOr<double> ScriptFigure(const std::string& output, absl::string_view name) {
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (!absl::StartsWith(line, "purchases ")) continue;
    const std::vector<absl::string_view> words = absl::StrSplit(line, ' ');
    for (size_t i = 0; i + 1 < words.size(); i += 2) {
      double value = 0;
      if (words[i] == name && absl::SimpleAtod(words[i + 1], &value)) return value;
    }
  }
  return absl::InternalError(absl::StrCat("the wrk script printed no ", name, ":\n", output));
}

// Every buyer buying at once for kRun, the way `flow` says, the kSliceResources resources
// from `first` on; wrk drives a connection per buyer (bench/purchases.lua).
absl::StatusOr<Round> Measure(launch::Suite& suite, const fs::path& var,
                              const std::vector<bench::Member>& buyers,
                              const std::vector<std::string>& resources, size_t first, Flow flow) {
  const fs::path data = var / absl::StrCat("purchases-", first, ".txt");
  {
    std::ofstream out(data);
    for (const bench::Member& buyer : buyers) {
      out << "B " << buyer.token << " " << buyer.user_id << "\n";
    }
    for (size_t i = first; i < first + kSliceResources; ++i) out << "R " << resources[i] << "\n";
  }
  const bench::WrkRun run = {
      .url = "http://" + suite.addresses("gateway").at("public_rest"),
      .script = PURCHASES_LUA,
      .script_args = {data.string(), flow == Flow::kOneCall ? "direct" : "quoted",
                      absl::StrCat(kWrkThreads), absl::StrCat(kPriceMsat)},
      .threads = kWrkThreads,
      .connections = static_cast<int>(buyers.size()),
      .duration = kRun};
  std::vector<double> cpu;
  for (const std::string& name : kProcesses) {
    cpu.push_back(bench::CpuSeconds(suite.process(name)->pid()));
  }
  absl::StatusOr<bench::WrkResult> result = bench::RunWrk(run);
  if (!result.ok()) return result.status();
  for (size_t i = 0; i < kProcesses.size(); ++i) {
    cpu[i] = bench::CpuSeconds(suite.process(kProcesses[i])->pid()) - cpu[i];
  }
  cpu.push_back(result->cpu_seconds);
  absl::StatusOr<double> bought = ScriptFigure(result->output, "purchases");
  absl::StatusOr<double> wrong = ScriptFigure(result->output, "wrong");
  absl::StatusOr<double> exhausted = ScriptFigure(result->output, "exhausted");
  absl::StatusOr<double> p50 = ScriptFigure(result->output, "p50_ms");
  for (const auto* figure : {&bought, &wrong, &exhausted, &p50}) {
    if (!figure->ok()) return figure->status();
  }
  if (*wrong > 0) {
    return absl::InternalError(
        absl::StrCat(*wrong, " purchases did not charge ", kPriceMsat, " msat:\n", result->output));
  }
  if (*exhausted > 0) {
    return absl::InternalError("a buyer ran out of resources: raise kSliceResources");
  }
  Round round = {.purchases_per_s = *bought / result->seconds,
                 .p50_ms = *p50,
                 .p99_ms = result->p99_ms,
                 .purchases = static_cast<int64_t>(*bought)};
  for (const double seconds : cpu) {
    round.cpu_us_per_purchase.push_back(*bought > 0 ? seconds * 1e6 / *bought : 0);
  }
  return round;
}

// What the buyers' wallets were charged in all, in msat, from their balances.
absl::StatusOr<uint64_t> Charged(const std::string& rest,
                                 const std::vector<bench::Member>& buyers) {
  absl::StatusOr<std::unique_ptr<client::ApiClient>> api = Connect(rest);
  if (!api.ok()) return api.status();
  uint64_t charged = 0;
  for (const bench::Member& buyer : buyers) {
    wallet::v1::Wallet wallet;
    if (absl::Status s = (*api)->Call("GET", "/v1/users/me/wallet", nullptr, &wallet, buyer.token);
        !s.ok()) {
      return s;
    }
    charged += kFundingMsat - wallet.balance_msat();
  }
  return charged;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path build =
      fs::absolute(argc > 1 ? fs::path(argv[1]) : fs::path(BITCONTENT_BINARY_DIR));
  // An optional second argument sets the number of buyers (for a sweep).
  int buyer_count = kBuyers;
  if (argc > 2 && (!absl::SimpleAtoi(argv[2], &buyer_count) || buyer_count < kWrkThreads)) {
    return Fail("bad number of buyers", absl::InvalidArgumentError(argv[2]));
  }
  const fs::path var = build / "bench-runs" / absl::StrCat("purchase-", getpid());
  absl::StatusOr<std::unique_ptr<launch::Suite>> suite =
      bench::StartSuite(build, var, {"accounts", "metadata", "wallet", "pricing", "gateway"});
  if (!suite.ok()) return Fail("cannot start the suite", suite.status());
  const std::string rest = (*suite)->addresses("gateway").at("public_rest");

  absl::StatusOr<bench::Member> seller = bench::SignUp(rest, var / "seller", "news@example.com");
  if (!seller.ok()) return Fail("cannot sign the seller up", seller.status());
  std::vector<bench::Member> buyers;
  for (int b = 0; b < buyer_count; ++b) {
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
  std::vector<Round> one_call, quoted;
  int64_t purchases = 0;
  for (int round = 0; round < kRounds; ++round) {
    const size_t first = 2 * round * kSliceResources;
    absl::StatusOr<Round> direct = Measure(**suite, var, buyers, *resources, first, Flow::kOneCall);
    if (!direct.ok()) return Fail("a purchase failed", direct.status());
    absl::StatusOr<Round> with_quote =
        Measure(**suite, var, buyers, *resources, first + kSliceResources, Flow::kQuoted);
    if (!with_quote.ok()) return Fail("a quoted purchase failed", with_quote.status());
    one_call.push_back(*direct);
    quoted.push_back(*with_quote);
    purchases += direct->purchases + with_quote->purchases;
    for (const auto& [way, measured] :
         {std::pair{"one call", &*direct}, {"quoted", &*with_quote}}) {
      std::string split;
      for (size_t i = 0; i < measured->cpu_us_per_purchase.size(); ++i) {
        absl::StrAppend(&split, i == 0 ? "" : ", ",
                        i < kProcesses.size() ? kProcesses[i] : std::string("wrk"), " ",
                        static_cast<int64_t>(measured->cpu_us_per_purchase[i]));
      }
      std::printf("# round %d %s: %.0f purchases/s; CPU us per purchase: %s\n", round + 1, way,
                  measured->purchases_per_s, split.c_str());
    }
  }
  // Every purchase answered charged its price once. Calls that wrk stopped waiting for
  // at the end of a run (at most one per connection) may have been charged unanswered.
  absl::StatusOr<uint64_t> charged = Charged(rest, buyers);
  if (!charged.ok()) return Fail("cannot read the buyers' wallets", charged.status());
  const uint64_t answered_msat = static_cast<uint64_t>(purchases) * kPriceMsat;
  const uint64_t unanswered_max_msat = uint64_t{2} * kRounds * buyers.size() * kPriceMsat;
  if (*charged < answered_msat || *charged > answered_msat + unanswered_max_msat) {
    return Fail(
        "the wallets disagree",
        absl::DataLossError(absl::StrCat("buyers were charged ", *charged, " msat for ", purchases,
                                         " purchases of ", kPriceMsat, " msat answered")));
  }
  const auto median = [](const std::vector<Round>& rounds, double Round::*figure) {
    std::vector<double> values;
    for (const Round& round : rounds) values.push_back(round.*figure);
    return bench::Median(values);
  };
  std::printf("purchase_buyers %d buyers\n", buyer_count);
  std::printf("purchases_per_s %.0f purchases/s\n", median(one_call, &Round::purchases_per_s));
  std::printf("purchase_p50_ms %.2f ms\n", median(one_call, &Round::p50_ms));
  std::printf("purchase_p99_ms %.2f ms\n", median(one_call, &Round::p99_ms));
  std::printf("quoted_purchases_per_s %.0f purchases/s\n", median(quoted, &Round::purchases_per_s));
  std::printf("quoted_call_p99_ms %.2f ms\n", median(quoted, &Round::p99_ms));
  (void)(*suite)->Stop();
  std::error_code ignored;
  fs::remove_all(var, ignored);
  return 0;
}
