// How fast an operator restores the old service's members: writes a JSON Lines file of
// 1,000,000 legacy accounts, starts Redis, accounts and the gateway (launch::Suite),
// signs up an operator, and times the real `bitcontent-admin import` streaming the file
// through the gateway's public gRPC API, then times the same file again (every line
// already imported, nothing written).
//
// Prints: legacy_import_accounts_per_s (first run) and legacy_import_rerun_lines_per_s.
// An optional second argument changes the line count (for quick runs).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_suite.h"
#include "libs/launch/process.h"
#include "libs/launch/suite.h"

namespace {

namespace fs = std::filesystem;
using namespace bitcontent;

constexpr char kOperator[] = "ops@example.com";

void WriteLegacyFile(const fs::path& path, int64_t lines) {
  std::ofstream out(path);
  std::string line;
  for (int64_t i = 1; i <= lines; ++i) {
    line = absl::StrCat("{\"email\":\"member", i, "@legacy.example.com\",\"legacy_id\":", i,
                        ",\"created\":\"2014-05-01T12:00:00Z\"}\n");
    out << line;
  }
}

struct ImportRun {
  double seconds = 0;
  std::string summary;  // the CLI's last line
};

absl::StatusOr<ImportRun> RunImport(const fs::path& build, const launch::Suite& suite,
                                    const fs::path& config_dir, const fs::path& file,
                                    const fs::path& log) {
  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<launch::Process>> process = launch::Process::Start(
      {.name = "bitcontent-admin",
       .binary = (build / "clients/admin/bitcontent-admin").string(),
       .args = {"--server=http://" + suite.addresses("gateway").at("public_rest"),
                "--grpc-server=" + suite.addresses("gateway").at("public_grpc"),
                "--config-dir=" + config_dir.string(), "import", file.string()},
       .log_path = log.string()});
  if (!process.ok()) return process.status();
  absl::StatusOr<int> exit_code = (*process)->Wait(absl::Minutes(10));
  ImportRun run;
  run.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::ifstream output(log);
  for (std::string line; std::getline(output, line);) run.summary = line;
  if (!exit_code.ok()) return exit_code.status();
  if (*exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("bitcontent-admin exited with ", *exit_code, ": ", run.summary));
  }
  return run;
}

int Fail(absl::string_view what, const absl::Status& status) {
  return bench::Fail("legacy_import_bench", what, status);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path build =
      fs::absolute(argc > 1 ? fs::path(argv[1]) : fs::path(BITCONTENT_BINARY_DIR));
  int64_t lines = 1'000'000;
  if (argc > 2 && !absl::SimpleAtoi(argv[2], &lines)) {
    return Fail("bad line count", absl::InvalidArgumentError(argv[2]));
  }
  const fs::path var = build / "bench-runs" / absl::StrCat("legacy-import-", getpid());
  fs::create_directories(var);
  const fs::path file = var / "legacy.jsonl";
  WriteLegacyFile(file, lines);

  absl::StatusOr<std::unique_ptr<launch::Suite>> suite =
      bench::StartSuite(build, var / "suite", {"accounts", "gateway"},
                        {{"accounts", {std::string("--operator_emails=") + kOperator}}});
  if (!suite.ok()) return Fail("cannot start the suite", suite.status());
  const fs::path config_dir = var / "client";
  if (absl::StatusOr<bench::Member> made =
          bench::SignUp((*suite)->addresses("gateway").at("public_rest"), config_dir, kOperator);
      !made.ok()) {
    return Fail("cannot sign up the operator", made.status());
  }
  absl::StatusOr<ImportRun> first = RunImport(build, **suite, config_dir, file, var / "first.log");
  if (!first.ok()) return Fail("first import", first.status());
  absl::StatusOr<ImportRun> again = RunImport(build, **suite, config_dir, file, var / "again.log");
  if (!again.ok()) return Fail("second import", again.status());
  (void)(*suite)->Stop();

  std::fprintf(stderr, "first: %s\nagain: %s\n", first->summary.c_str(), again->summary.c_str());
  std::printf("legacy_import_accounts_per_s %.0f accounts/s\n", lines / first->seconds);
  std::printf("legacy_import_rerun_lines_per_s %.0f lines/s\n", lines / again->seconds);
  std::error_code ignored;
  fs::remove_all(var, ignored);
  return 0;
}
