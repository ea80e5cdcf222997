// How many durable transfers per second the Bitcache ledger engine commits, next to
// PostgreSQL doing the same double-entry work on the same machine in the same run.
//
// Both get the workload of bench/ledger_workload.h: 10,000 members with
// debits_must_not_exceed_credits, funded by deposits, then batches of 8,000 payments
// (a fifth of them linked purchase pairs) sent one batch at a time, each batch durable
// (fsync'ed) before the next goes. The engine runs in-process over RocksDB (one
// WriteBatch with sync=true per batch); PostgreSQL 15 runs on loopback from Debian's
// package with fsync and synchronous_commit on, one transaction per batch through a
// server-side function (bench/postgres_run.h says why). docs/ledger.md has the method.
//
// The two take turns for kRounds rounds (a fresh store and fresh tables each round), so
// that a slow minute of this shared machine falls on both: alone, either figure swung by
// a fifth from one run to the next. Prints each round on a comment line, then the
// medians: ledger_transfers_per_s, ledger_batch_latency_avg_ms,
// ledger_batch_latency_max_ms (the largest of any round), ledger_commits (median round),
// postgres_transfers_per_s, postgres_batch_latency_avg_ms, postgres_batch_latency_max_ms,
// and ledger_vs_postgres_ratio (of the medians). The first argument is the build
// directory (runs go under its bench-runs/); an optional second one sets the seconds each
// system runs per round (default 15).
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "bench/bench_suite.h"
#include "bench/engine_run.h"
#include "bench/postgres_cluster.h"
#include "bench/postgres_run.h"

namespace {

namespace fs = std::filesystem;
using namespace bitcontent;

int Fail(const std::string& what, const absl::Status& status) {
  std::fprintf(stderr, "ledger_bench: %s: %s\n", what.c_str(),
               std::string(status.message()).c_str());
  return 1;
}

// On top of initdb's defaults. Durability as the engine's: every commit fsync'ed before
// it returns (fsync, synchronous_commit and full_page_writes are the defaults, spelt
// out). Tuned as one would for this load: shared buffers that hold everything, WAL
// buffers that hold a batch, and checkpoints (max_wal_size, checkpoint_timeout) that
// do not fall inside a short run; no JIT for the function's small statements.
const std::vector<std::string> kPostgresSettings = {
    "fsync=on",           "synchronous_commit=on", "full_page_writes=on",
    "shared_buffers=1GB", "wal_buffers=64MB",      "max_wal_size=16GB",
    "min_wal_size=1GB",   "checkpoint_timeout=1h", "jit=off"};

// What an interrupted run (Ctrl-C, SIGTERM) must still clean up: the PostgreSQL server
// runs detached from us, so it would outlive the bench.
struct Cleanup {
  absl::Mutex mu;
  fs::path runs ABSL_GUARDED_BY(mu);
  std::unique_ptr<bench::PostgresCluster> cluster ABSL_GUARDED_BY(mu);
};
Cleanup cleanup;

// Takes SIGINT, SIGTERM and SIGHUP on a thread of its own (they are blocked everywhere
// else), stops the cluster, removes the run's files and exits.
void HandleInterrupts() {
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&signals, signal_number);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals] {
    int caught = 0;
    sigwait(&signals, &caught);
    absl::MutexLock lock(&cleanup.mu);
    cleanup.cluster.reset();
    std::error_code ignored;
    if (!cleanup.runs.empty()) fs::remove_all(cleanup.runs, ignored);
    std::fprintf(stderr, "ledger_bench: interrupted\n");
    _exit(128 + caught);
  }).detach();
}

constexpr int kRounds = 3;

// The rounds of one system.
struct Rounds {
  std::vector<double> transfers_per_s;
  std::vector<double> batch_ms_avg;
  double batch_ms_max = 0;

  void Add(const bench::WorkloadFigures& figures) {
    transfers_per_s.push_back(figures.transfers_per_s());
    batch_ms_avg.push_back(figures.batch_ms_avg());
    batch_ms_max = std::max(batch_ms_max, figures.batch_ms_max);
  }
  double median_transfers_per_s() const { return bench::Median(transfers_per_s); }
};

void PrintFigures(const char* system, const Rounds& rounds) {
  std::printf("%s_transfers_per_s %.0f transfers/s\n", system, rounds.median_transfers_per_s());
  std::printf("%s_batch_latency_avg_ms %.1f ms\n", system, bench::Median(rounds.batch_ms_avg));
  std::printf("%s_batch_latency_max_ms %.1f ms\n", system, rounds.batch_ms_max);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path build =
      fs::absolute(argc > 1 ? fs::path(argv[1]) : fs::path(BITCONTENT_BINARY_DIR));
  int seconds = 15;
  if (argc > 2 && (!absl::SimpleAtoi(argv[2], &seconds) || seconds <= 0)) {
    return Fail("bad duration", absl::InvalidArgumentError(argv[2]));
  }
  const fs::path runs = build / "bench-runs" / absl::StrCat("ledger-", getpid());
  HandleInterrupts();
  {
    absl::MutexLock lock(&cleanup.mu);
    cleanup.runs = runs;
  }
  std::error_code ignored;
  absl::StatusOr<std::unique_ptr<bench::PostgresCluster>> cluster =
      bench::PostgresCluster::Start(runs / "postgres", kPostgresSettings);
  if (!cluster.ok()) {
    fs::remove_all(runs, ignored);
    return Fail("cannot start PostgreSQL", cluster.status());
  }
  const std::string conninfo = (*cluster)->conninfo();
  {
    absl::MutexLock lock(&cleanup.mu);
    cleanup.cluster = *std::move(cluster);
  }
  // Stops the cluster and removes the run's files, whatever the rounds did.
  const auto finish = [&] {
    absl::MutexLock lock(&cleanup.mu);
    cleanup.cluster.reset();
    fs::remove_all(runs, ignored);
  };
  const bench::LedgerWorkloadOptions options;
  Rounds ledger, postgres;
  std::vector<double> commits;
  std::string shown;
  for (int round = 0; round < kRounds; ++round) {
    const fs::path engine_dir = runs / absl::StrCat("engine-", round);
    fs::create_directories(engine_dir);
    absl::StatusOr<bench::EngineFigures> engine =
        bench::RunOnEngine(engine_dir, options, absl::Seconds(seconds));
    fs::remove_all(engine_dir, ignored);
    if (!engine.ok()) {
      finish();
      return Fail("engine", engine.status());
    }
    absl::StatusOr<bench::WorkloadFigures> sql =
        bench::RunOnPostgres(conninfo, options, absl::Seconds(seconds));
    if (!sql.ok()) {
      finish();
      return Fail("postgres", sql.status());
    }
    ledger.Add(engine->workload);
    postgres.Add(*sql);
    commits.push_back(static_cast<double>(engine->commits));
    absl::StrAppend(&shown, round == 0 ? "" : "; ",
                    static_cast<int64_t>(engine->workload.transfers_per_s()), "/",
                    static_cast<int64_t>(sql->transfers_per_s()));
  }
  finish();
  PrintFigures("ledger", ledger);
  std::printf("ledger_commits %.0f commits\n", bench::Median(commits));
  PrintFigures("postgres", postgres);
  std::printf("ledger_vs_postgres_ratio %.2f x\n",
              ledger.median_transfers_per_s() / postgres.median_transfers_per_s());
  std::printf("# rounds (transfers/s, ledger / postgres): %s\n", shown.c_str());
  return 0;
}
