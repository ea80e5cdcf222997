#include "clients/admin/import_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "libs/client/legacy_import_file.h"
#include "libs/http/response.h"
#include "libs/kit/status.h"

namespace bitcontent::admin {
namespace {

using accounts::v1::ImportLegacyAccountsRequest;
using accounts::v1::ImportLegacyAccountsResponse;

struct ImportOptions {
  std::string file = {};
  std::string claim_tokens_file = {};
  size_t batch_lines = 5000;
  int64_t timeout_s = 3600;
};

// Where claim tokens go: a new file only the operator can read, one JSON object per
// created account. Refuses to replace a file: its tokens could not be issued again.
class ClaimTokenFile {
 public:
  static absl::StatusOr<std::unique_ptr<ClaimTokenFile>> Create(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot create ", path, ": ", std::strerror(errno),
          errno == EEXIST ? " (claim tokens are never overwritten; name a new file)" : ""));
    }
    return std::unique_ptr<ClaimTokenFile>(new ClaimTokenFile(::fdopen(fd, "w")));
  }
  ~ClaimTokenFile() { std::fclose(file_); }

  void Write(uint64_t line_number, std::string_view email, std::string_view user,
             std::string_view claim_token) {
    const std::string line = absl::StrCat(
        "{\"line\":", line_number, ",\"email\":\"", http::JsonEscape(email), "\",\"user\":\"",
        http::JsonEscape(user), "\",\"claim_token\":\"", http::JsonEscape(claim_token), "\"}\n");
    std::fputs(line.c_str(), file_);
  }
  absl::Status Close() {
    const bool ok = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
    return ok ? absl::OkStatus() : absl::DataLossError("writing the claim token file failed");
  }

 private:
  explicit ClaimTokenFile(std::FILE* file) : file_(file) {}
  std::FILE* const file_;
};

// The emails of the batches sent and not yet answered, so that claim tokens can be
// written next to the email they are for. The server answers batches in order.
class BatchesInFlight {
 public:
  void Sent(const ImportLegacyAccountsRequest& batch) {
    absl::flat_hash_map<uint64_t, std::string> emails;
    for (const auto& account : batch.accounts()) emails[account.line_number()] = account.email();
    absl::MutexLock lock(&mu_);
    batches_.push_back(std::move(emails));
  }
  absl::flat_hash_map<uint64_t, std::string> Answered() {
    absl::MutexLock lock(&mu_);
    if (batches_.empty()) return {};
    absl::flat_hash_map<uint64_t, std::string> emails = std::move(batches_.front());
    batches_.pop_front();
    return emails;
  }

 private:
  absl::Mutex mu_;
  std::deque<absl::flat_hash_map<uint64_t, std::string>> batches_ ABSL_GUARDED_BY(mu_);
};

absl::Status Import(OperatorConnection& connection, const ImportOptions& options, int* exit_code) {
  std::ifstream file;
  std::istream* input = &std::cin;
  if (options.file != "-") {
    file.open(options.file);
    if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", options.file));
    input = &file;
  }
  std::unique_ptr<ClaimTokenFile> tokens;
  if (!options.claim_tokens_file.empty()) {
    absl::StatusOr<std::unique_ptr<ClaimTokenFile>> created =
        ClaimTokenFile::Create(options.claim_tokens_file);
    if (!created.ok()) return created.status();
    tokens = *std::move(created);
  }

  const absl::Time start = absl::Now();
  std::unique_ptr<grpc::ClientContext> context =
      connection.NewContext(absl::Seconds(options.timeout_s));
  auto stream = connection.accounts().ImportLegacyAccounts(context.get());
  client::LegacyImportReader reader(input);
  BatchesInFlight in_flight;
  // Sends while the main thread reads the answers, so parsing, the network and the
  // server's writes overlap. Stops early when the stream breaks.
  std::thread sender([&] {
    ImportLegacyAccountsRequest batch;
    while (reader.NextBatch(options.batch_lines, &batch)) {
      batch.set_issue_claim_tokens(tokens != nullptr);
      if (tokens != nullptr) in_flight.Sent(batch);
      if (!stream->Write(batch)) return;
    }
    stream->WritesDone();
  });

  ImportLegacyAccountsResponse response;
  ImportLegacyAccountsResponse last;
  while (stream->Read(&response)) {
    const absl::flat_hash_map<uint64_t, std::string> emails =
        tokens != nullptr ? in_flight.Answered() : absl::flat_hash_map<uint64_t, std::string>();
    for (const accounts::v1::ImportLineResult& result : response.results()) {
      if (result.outcome() == accounts::v1::IMPORT_OUTCOME_REJECTED) {
        std::fprintf(stderr, "line %llu: %s\n",
                     static_cast<unsigned long long>(result.line_number()), result.error().c_str());
      } else if (tokens != nullptr && !result.claim_token().empty()) {
        const auto email = emails.find(result.line_number());
        tokens->Write(result.line_number(), email == emails.end() ? "" : email->second,
                      result.user(), result.claim_token());
      }
    }
    last.Swap(&response);
  }
  sender.join();
  const grpc::Status finished = stream->Finish();
  absl::Status status = kit::FromGrpc(finished);
  if (status.ok()) status = reader.status();
  if (tokens != nullptr) status.Update(tokens->Close());

  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf("%llu lines: %llu created, %llu already imported, %llu rejected (%.1f s)\n",
              static_cast<unsigned long long>(reader.lines_read()),
              static_cast<unsigned long long>(last.created_count()),
              static_cast<unsigned long long>(last.already_imported_count()),
              static_cast<unsigned long long>(last.rejected_count()), seconds);
  if (!status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat("the import stopped: ", status.message(),
                                     "; lines answered above are done, and running the same "
                                     "file again skips them"));
  }
  if (last.rejected_count() > 0) *exit_code = kExitSomeLinesRejected;
  return absl::OkStatus();
}

}  // namespace

void AddImportCommand(CLI::App& app, const AdminOptions& options, int* exit_code) {
  static ImportOptions import;
  CLI::App* command = app.add_subcommand(
      "import", "Import the old service's members from JSON Lines as pending-claim accounts");
  command->add_option("file", import.file, "JSON Lines, one account per line; - reads stdin")
      ->required();
  command->add_option("--claim-tokens", import.claim_tokens_file,
                      "Write a one-time claim token per new account to this new file (0600)");
  command->add_option("--batch-lines", import.batch_lines, "Lines per batch sent")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  command->add_option("--timeout-s", import.timeout_s, "Give up after this many seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->footer(
      "Each line: {\"email\": \"...\", \"legacy_id\": \"...\" or a number, \"created\": "
      "\"2014-05-01T12:00:00Z\" or \"2014-05-01\"}.\nExit code 0 when every line was imported "
      "(now or before), 3 when some lines were rejected (listed on stderr), 1 on failure.");
  command->callback(Run(options, exit_code, [exit_code](OperatorConnection& connection) {
    return Import(connection, import, exit_code);
  }));
}

}  // namespace bitcontent::admin
