// How fast one service answers unary calls through the whole kit (interceptor, request
// ids, metrics, access log): Diagnostics.Ping against a real bitcontent-wallet process
// on loopback, from several client threads, a fixed number of calls each.
//
// Prints: kit_grpc_ping_rps, kit_grpc_ping_p50_ms, kit_grpc_ping_p99_ms.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bitcontent/common/v1/diagnostics.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/launch/suite.h"

namespace {

constexpr int kThreads = 4;
constexpr int kCallsPerThread = 5000;

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  using bitcontent::common::v1::Diagnostics;
  const fs::path build = argc > 1 ? fs::path(argv[1]) : fs::path(BITCONTENT_BINARY_DIR);
  const fs::path var = build / "bench-runs" / absl::StrCat("kit-ping-", getpid());
  absl::StatusOr<std::unique_ptr<bitcontent::launch::Suite>> suite =
      bitcontent::launch::Suite::Start({.binary_dir = build.string(),
                                        .var_dir = var.string(),
                                        .services = {"wallet"},
                                        .redis = false});
  if (!suite.ok()) {
    std::fprintf(stderr, "cannot start wallet: %s\n",
                 std::string(suite.status().message()).c_str());
    return 1;
  }
  auto channel = bitcontent::kit::NewChannel((*suite)->grpc_address("wallet"));
  std::vector<std::vector<double>> latencies_ms(kThreads);
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = Diagnostics::NewStub(channel);
      latencies_ms[t].reserve(kCallsPerThread);
      for (int i = 0; i < kCallsPerThread; ++i) {
        const auto sent = std::chrono::steady_clock::now();
        bitcontent::common::v1::PingResponse response;
        auto context = bitcontent::kit::NewCallContext(absl::Seconds(5));
        if (!stub->Ping(context.get(), {}, &response).ok()) std::abort();
        latencies_ms[t].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent)
                .count());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<double> all;
  for (const auto& part : latencies_ms) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end());
  std::printf("kit_grpc_ping_rps %.0f req/s\n", all.size() / seconds);
  std::printf("kit_grpc_ping_p50_ms %.3f ms\n", all[all.size() / 2]);
  std::printf("kit_grpc_ping_p99_ms %.3f ms\n", all[all.size() * 99 / 100]);
  (void)(*suite)->Stop();
  fs::remove_all(var);
  return 0;
}
