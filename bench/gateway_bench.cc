// How many authenticated REST requests per second the gateway serves, next to what
// nginx serves from a static file on the same machine, so the figure means something
// on any hardware. Starts Redis, accounts and the gateway (launch::Suite), signs up a
// member with the client engine, then runs wrk (Debian's package; keep-alive, 2
// threads, 64 connections, 10 s) against GET /v1/users/me — token check, revocation and
// rate-limit check in Redis, a gRPC call to accounts and JSON transcoding — and against
// nginx serving a small JSON file on loopback with a config written to a temp directory,
// in five alternating rounds (medians printed, each round on a comment line).
//
// Prints: gateway_auth_get_rps, gateway_auth_get_p99_ms, nginx_static_rps,
// gateway_to_nginx_ratio, and gateway_auth_get_cpu_<process>_us: the CPU time gateway,
// accounts and Redis each spent per request (from /proc), which says where the time
// goes. Needs wrk and nginx (./dev installs both).
//
// For experiments: arguments after the build directory are passed to the gateway, and
// GATEWAY_BENCH_PATH measures another route (e.g. /v1/keys, which calls no service).
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "bench/wrk_run.h"
#include "libs/http/client.h"
#include "libs/launch/free_port.h"
#include "libs/launch/process.h"
#include "libs/launch/suite.h"

namespace {

namespace fs = std::filesystem;
using namespace bitcontent;

// Alternating rounds of the gateway and nginx (see main).
constexpr int kRounds = 5;
constexpr char kStaticJson[] = R"({"name":"users/01HXBENCH","email":"ada@example.com"})";

// nginx serving kStaticJson at /user.json on loopback, from a config in `dir`.
absl::StatusOr<std::unique_ptr<launch::Process>> StartNginx(const fs::path& dir, int port) {
  fs::create_directories(dir / "www");
  fs::create_directories(dir / "logs");
  std::ofstream(dir / "www" / "user.json") << kStaticJson;
  std::ofstream(dir / "nginx.conf") << absl::StrCat(
      "worker_processes auto;\n"
      "daemon off;\n"
      "pid ",
      (dir / "nginx.pid").string(),
      ";\n"
      "error_log ",
      (dir / "logs" / "error.log").string(),
      " warn;\n"
      "events { worker_connections 4096; }\n"
      "http {\n"
      "  access_log off;\n"
      "  client_body_temp_path ",
      (dir / "body").string(),
      ";\n"
      "  proxy_temp_path ",
      (dir / "proxy").string(),
      ";\n"
      "  fastcgi_temp_path ",
      (dir / "fastcgi").string(),
      ";\n"
      "  uwsgi_temp_path ",
      (dir / "uwsgi").string(),
      ";\n"
      "  scgi_temp_path ",
      (dir / "scgi").string(),
      ";\n"
      "  keepalive_requests 1000000;\n"
      "  server {\n"
      "    listen 127.0.0.1:",
      port,
      ";\n"
      "    location / { root ",
      (dir / "www").string(),
      "; default_type application/json; }\n"
      "  }\n"
      "}\n");
  absl::StatusOr<std::unique_ptr<launch::Process>> nginx =
      launch::Process::Start({.name = "nginx",
                              .binary = "nginx",
                              .args = {"-p", dir.string(), "-c", (dir / "nginx.conf").string()},
                              .log_path = (dir / "logs" / "nginx.log").string()});
  if (!nginx.ok()) return nginx.status();
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline && (*nginx)->Running()) {
    http::ClientRequest request;
    request.target = "/user.json";
    http::ClientOptions options;
    options.port = static_cast<uint16_t>(port);
    absl::StatusOr<http::ClientResponse> answer = http::Fetch(options, request);
    if (answer.ok() && answer->status == 200) return nginx;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return absl::UnavailableError("nginx did not serve /user.json (is Debian's nginx installed?)");
}

int Fail(absl::string_view what, const absl::Status& status) {
  return bench::Fail("gateway_bench", what, status);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path build =
      fs::absolute(argc > 1 ? fs::path(argv[1]) : fs::path(BITCONTENT_BINARY_DIR));
  const fs::path var = build / "bench-runs" / absl::StrCat("gateway-", getpid());
  // Arguments after the build directory go to the gateway (for experiments).
  // One member and one IP make every request: StartSuite lifts their limits.
  std::vector<std::string> gateway_args;
  for (int i = 2; i < argc; ++i) gateway_args.push_back(argv[i]);
  absl::StatusOr<std::unique_ptr<launch::Suite>> suite =
      bench::StartSuite(build, var, {"accounts", "gateway"}, {{"gateway", gateway_args}});
  if (!suite.ok()) return Fail("cannot start the suite", suite.status());
  const std::string rest = (*suite)->addresses("gateway").at("public_rest");
  absl::StatusOr<bench::Member> member = bench::SignUp(rest, var / "client", "bench@example.com");
  if (!member.ok()) return Fail("cannot sign up through the gateway", member.status());

  const int port = launch::FreeLoopbackPort();
  absl::StatusOr<std::unique_ptr<launch::Process>> nginx = StartNginx(var / "nginx", port);
  if (!nginx.ok()) return Fail("cannot start nginx", nginx.status());

  // Rounds alternate the gateway and nginx, so a busy spell of a shared host weighs on
  // both sides of a ratio; the medians are printed. Idle, each side uses no CPU while
  // the other is measured.
  const char* const processes[] = {"gateway", "accounts", "redis"};
  std::map<std::string, double> cpu_used;
  double gateway_requests = 0;
  std::vector<double> gateway_rps, nginx_rps, ratios, p99s;
  // GATEWAY_BENCH_PATH measures another route (e.g. /v1/keys, no backend call).
  const char* path = std::getenv("GATEWAY_BENCH_PATH");
  for (int round = 1; round <= kRounds; ++round) {
    std::map<std::string, double> cpu_before;
    for (const char* name : processes) {
      cpu_before[name] = bench::CpuSeconds((*suite)->process(name)->pid());
    }
    absl::StatusOr<bench::WrkResult> gateway = bench::RunWrk(
        {.url = absl::StrCat("http://", rest, path != nullptr ? path : "/v1/users/me"),
         .headers = {"Authorization: Bearer " + member->token}});
    if (!gateway.ok()) return Fail("wrk against the gateway", gateway.status());
    for (const char* name : processes) {
      cpu_used[name] += bench::CpuSeconds((*suite)->process(name)->pid()) - cpu_before[name];
    }
    gateway_requests += gateway->requests_per_second * gateway->seconds;
    absl::StatusOr<bench::WrkResult> static_file =
        bench::RunWrk({.url = absl::StrCat("http://127.0.0.1:", port, "/user.json")});
    if (!static_file.ok()) return Fail("wrk against nginx", static_file.status());
    gateway_rps.push_back(gateway->requests_per_second);
    p99s.push_back(gateway->p99_ms);
    nginx_rps.push_back(static_file->requests_per_second);
    ratios.push_back(gateway->requests_per_second / static_file->requests_per_second);
    std::printf("# round %d: gateway %.0f req/s, nginx %.0f req/s, ratio %.3f\n", round,
                gateway_rps.back(), nginx_rps.back(), ratios.back());
  }
  (void)(*nginx)->Stop(absl::Seconds(5));
  (void)(*suite)->Stop();

  std::printf("gateway_auth_get_rps %.0f req/s\n", bench::Median(gateway_rps));
  std::printf("gateway_auth_get_p99_ms %.2f ms\n", bench::Median(p99s));
  std::printf("nginx_static_rps %.0f req/s\n", bench::Median(nginx_rps));
  std::printf("gateway_to_nginx_ratio %.3f ratio\n", bench::Median(ratios));
  for (const auto& [name, seconds] : cpu_used) {
    std::printf("gateway_auth_get_cpu_%s_us %.1f us/request\n", name.c_str(),
                gateway_requests > 0 ? seconds * 1e6 / gateway_requests : 0);
  }
  std::error_code ignored;
  fs::remove_all(var, ignored);
  return 0;
}
