// The wallet service end to end: durable transfers per second through its internal gRPC
// API (batches of 8,000 from four concurrent clients, grouped into shared commits), and
// the latency of single member payments through the gateway's REST API under load
// (eight keep-alive clients, each payment its own Idempotency-Key).
//
// Starts accounts, wallet and the gateway (launch::Suite) on loopback. Prints:
// wallet_grpc_transfers_per_s, pay_per_s, pay_p50_ms, pay_p99_ms.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "bitcontent/wallet/v1/wallet_internal_service.grpc.pb.h"
#include "libs/http/client.h"
#include "libs/kit/channel.h"
#include "libs/launch/suite.h"
#include "services/wallet/wallet_ids.h"

namespace {

namespace fs = std::filesystem;
using namespace bitcontent;
namespace v1 = wallet::v1;

constexpr int kAccounts = 1000;
constexpr int kBatch = 8000;
constexpr int kGrpcClients = 4;
constexpr absl::Duration kGrpcRun = absl::Seconds(8);
constexpr int kPayClients = 8;
constexpr absl::Duration kPayRun = absl::Seconds(6);

ledger::Id BenchAccount(int i) { return {.high = 0xbe7c, .low = static_cast<uint64_t>(i + 1)}; }

int Fail(absl::string_view what, const absl::Status& status) {
  return bench::Fail("wallet_bench", what, status);
}

absl::Status CreateTransfers(v1::WalletInternalService::Stub& stub,
                             const v1::CreateTransfersRequest& request) {
  v1::CreateTransfersResponse response;
  auto context = kit::NewCallContext(absl::Seconds(30));
  const grpc::Status status = stub.CreateTransfers(context.get(), request, &response);
  if (!status.ok()) return absl::UnavailableError(status.error_message());
  for (const int result : response.results()) {
    if (result != v1::CREATE_TRANSFER_RESULT_OK) {
      return absl::InternalError(absl::StrCat("transfer result ", result));
    }
  }
  return absl::OkStatus();
}

v1::Transfer Transfer(const ledger::Id& id, const ledger::Id& from, const ledger::Id& to,
                      uint64_t amount, v1::TransferCode code) {
  v1::Transfer transfer;
  transfer.set_id(ledger::IdToBytes(id));
  transfer.set_debit_account_id(ledger::IdToBytes(from));
  transfer.set_credit_account_id(ledger::IdToBytes(to));
  transfer.set_amount_msat(amount);
  transfer.set_ledger(wallet::kBitcoinLedger);
  transfer.set_code(code);
  return transfer;
}

const ledger::Id kAdjustments = wallet::SystemAccountId(v1::ACCOUNT_CODE_OPERATOR_ADJUSTMENTS);

absl::StatusOr<double> GrpcTransfersPerSecond(const std::string& target) {
  auto stub = v1::WalletInternalService::NewStub(kit::NewChannel(target));
  v1::CreateAccountsRequest accounts;
  for (int i = 0; i < kAccounts; ++i) {
    v1::LedgerAccount& account = *accounts.add_accounts();
    account.set_id(ledger::IdToBytes(BenchAccount(i)));
    account.set_ledger(wallet::kBitcoinLedger);
    account.set_code(v1::ACCOUNT_CODE_MEMBER_WALLET);
    account.mutable_flags()->set_debits_must_not_exceed_credits(true);
  }
  v1::CreateAccountsResponse created;
  auto context = kit::NewCallContext(absl::Seconds(30));
  if (!stub->CreateAccounts(context.get(), accounts, &created).ok()) {
    return absl::UnavailableError("cannot create the bench accounts");
  }
  v1::CreateTransfersRequest funding;
  for (int i = 0; i < kAccounts; ++i) {
    *funding.add_transfers() =
        Transfer({0xf00d, static_cast<uint64_t>(i + 1)}, kAdjustments, BenchAccount(i),
                 uint64_t{1} << 40, v1::TRANSFER_CODE_ADJUSTMENT);
  }
  if (absl::Status funded = CreateTransfers(*stub, funding); !funded.ok()) return funded;

  std::atomic<uint64_t> transfers = 0;
  std::atomic<bool> failed = false;
  const absl::Time end = absl::Now() + kGrpcRun;
  const absl::Time start = absl::Now();
  std::vector<std::thread> clients;
  for (int c = 0; c < kGrpcClients; ++c) {
    clients.emplace_back([&, c] {
      auto own = v1::WalletInternalService::NewStub(kit::NewChannel(target));
      uint64_t next = 1, seed = static_cast<uint64_t>(c) * 7919 + 1;
      while (absl::Now() < end && !failed) {
        v1::CreateTransfersRequest batch;
        for (int i = 0; i < kBatch; ++i) {
          seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
          const int from = static_cast<int>((seed >> 33) % kAccounts);
          const int to = (from + 1 + static_cast<int>((seed >> 13) % (kAccounts - 1))) % kAccounts;
          *batch.add_transfers() =
              Transfer({0xc0 + static_cast<uint64_t>(c), next++}, BenchAccount(from),
                       BenchAccount(to), 1 + (seed >> 50), v1::TRANSFER_CODE_PAYMENT);
        }
        if (!CreateTransfers(*own, batch).ok()) {
          failed = true;
          return;
        }
        transfers += kBatch;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  if (failed) return absl::InternalError("a batch failed");
  return static_cast<double>(transfers) / absl::ToDoubleSeconds(absl::Now() - start);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path build =
      fs::absolute(argc > 1 ? fs::path(argv[1]) : fs::path(BITCONTENT_BINARY_DIR));
  const fs::path var = build / "bench-runs" / absl::StrCat("wallet-", getpid());
  absl::StatusOr<std::unique_ptr<launch::Suite>> suite =
      bench::StartSuite(build, var, {"accounts", "wallet", "gateway"});
  if (!suite.ok()) return Fail("cannot start the suite", suite.status());
  const std::string wallet_target = (*suite)->addresses("wallet").at("grpc");

  absl::StatusOr<double> grpc_rate = GrpcTransfersPerSecond(wallet_target);
  if (!grpc_rate.ok()) return Fail("grpc transfers", grpc_rate.status());
  std::printf("wallet_grpc_transfers_per_s %.0f transfers/s\n", *grpc_rate);
  std::fflush(stdout);

  const std::string rest = (*suite)->addresses("gateway").at("public_rest");
  absl::StatusOr<bench::Member> payer = bench::SignUp(rest, var / "payer", "payer@example.com");
  absl::StatusOr<bench::Member> payee = bench::SignUp(rest, var / "payee", "payee@example.com");
  if (!payer.ok() || !payee.ok()) return Fail("cannot sign up", payer.status());
  // Both wallets exist from their first call; fund the payer as a service would.
  for (const auto* member : {&*payer, &*payee}) {
    http::Client client(
        {.host = "127.0.0.1",
         .port = static_cast<uint16_t>(std::stoi(rest.substr(rest.rfind(':') + 1)))});
    http::ClientRequest get;
    get.target = "/v1/users/me/wallet";
    get.headers.Add("Authorization", "Bearer " + member->token);
    if (absl::StatusOr<http::ClientResponse> r = client.Send(get); !r.ok() || r->status != 200) {
      return Fail("cannot open the wallets", absl::UnknownError("GET wallet failed"));
    }
  }
  {
    auto stub = v1::WalletInternalService::NewStub(kit::NewChannel(wallet_target));
    v1::CreateTransfersRequest funding;
    *funding.add_transfers() =
        Transfer({0xf00d, 0xffff}, kAdjustments, wallet::MemberAccountId(payer->user_id),
                 uint64_t{1} << 50, v1::TRANSFER_CODE_ADJUSTMENT);
    if (absl::Status funded = CreateTransfers(*stub, funding); !funded.ok()) {
      return Fail("cannot fund the payer", funded);
    }
  }
  const uint16_t port = static_cast<uint16_t>(std::stoi(rest.substr(rest.rfind(':') + 1)));
  const std::string body = absl::StrCat(R"({"payeeWallet":"users/)", payee->user_id,
                                        R"(/wallet","amountMsat":"1000","memo":"bench"})");
  std::vector<std::vector<double>> latencies(kPayClients);
  std::atomic<bool> failed = false;
  const absl::Time start = absl::Now();
  const absl::Time end = start + kPayRun;
  std::vector<std::thread> clients;
  for (int c = 0; c < kPayClients; ++c) {
    clients.emplace_back([&, c] {
      http::Client client({.host = "127.0.0.1", .port = port, .timeout = absl::Seconds(10)});
      for (uint64_t n = 0; absl::Now() < end && !failed; ++n) {
        http::ClientRequest request;
        request.method = "POST";
        request.target = "/v1/users/me/wallet:pay";
        request.headers.Add("Authorization", "Bearer " + payer->token);
        request.headers.Add("Content-Type", "application/json");
        request.headers.Add("Idempotency-Key", absl::StrCat("bench-", c, "-", n));
        request.body = body;
        const absl::Time sent = absl::Now();
        absl::StatusOr<http::ClientResponse> answer = client.Send(request);
        if (!answer.ok() || answer->status != 200) {
          failed = true;
          return;
        }
        latencies[c].push_back(absl::ToDoubleMilliseconds(absl::Now() - sent));
      }
    });
  }
  for (std::thread& client : clients) client.join();
  if (failed) return Fail("a payment failed", absl::UnknownError("non-200 answer"));
  std::vector<double> all;
  for (const auto& part : latencies) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end());
  std::printf("pay_per_s %.0f payments/s\n",
              static_cast<double>(all.size()) / absl::ToDoubleSeconds(absl::Now() - start));
  std::printf("pay_p50_ms %.2f ms\n", bench::Percentile(all, 0.50));
  std::printf("pay_p99_ms %.2f ms\n", bench::Percentile(all, 0.99));
  (void)(*suite)->Stop();
  std::error_code ignored;
  fs::remove_all(var, ignored);
  return 0;
}
