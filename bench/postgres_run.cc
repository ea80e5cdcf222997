#include "bench/postgres_run.h"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "bench/postgres_ledger.sql.h"

namespace bitcontent::bench {
namespace {

constexpr int kOk = 1;
constexpr char kCreateTransfers[] = "create_transfers";

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;
using Result = std::unique_ptr<PGresult, ResultClearer>;

absl::Status Check(const Result& result, ExecStatusType expected, const char* what) {
  if (PQresultStatus(result.get()) == expected) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat("postgres: ", what, ": ", PQresultErrorMessage(result.get())));
}

absl::Status Exec(PGconn* connection, const char* sql, const char* what) {
  return Check(Result(PQexec(connection, sql)), PGRES_COMMAND_OK, what);
}

// The batch as the function's seven array arguments, in PostgreSQL's text form.
std::array<std::string, 7> ArrayArguments(const std::vector<ledger::Transfer>& batch) {
  std::array<std::string, 7> arrays;
  for (std::string& array : arrays) array.assign(1, '{');
  for (const ledger::Transfer& t : batch) {
    const char* separator = arrays[0].size() > 1 ? "," : "";
    absl::StrAppend(&arrays[0], separator, t.id.low);
    absl::StrAppend(&arrays[1], separator, t.debit_account_id.low);
    absl::StrAppend(&arrays[2], separator, t.credit_account_id.low);
    absl::StrAppend(&arrays[3], separator, t.amount_msat);
    absl::StrAppend(&arrays[4], separator, t.user_data_128.low);
    absl::StrAppend(&arrays[5], separator, t.code);
    absl::StrAppend(&arrays[6], separator, (t.flags & ledger::kTransferLinked) ? "t" : "f");
  }
  for (std::string& array : arrays) array += "}";
  return arrays;
}

// Sends one batch as one transaction; every transfer must come back OK.
absl::Status CreateTransfers(PGconn* connection, const std::vector<ledger::Transfer>& batch) {
  const std::array<std::string, 7> arrays = ArrayArguments(batch);
  std::array<const char*, 7> values;
  for (size_t i = 0; i < arrays.size(); ++i) values[i] = arrays[i].c_str();
  Result result(PQexecPrepared(connection, kCreateTransfers, values.size(), values.data(), nullptr,
                               nullptr, 0));
  if (absl::Status status = Check(result, PGRES_TUPLES_OK, "create_transfers"); !status.ok()) {
    return status;
  }
  // The results as text: {1,1,...}.
  absl::string_view text = PQgetvalue(result.get(), 0, 0);
  if (!absl::ConsumePrefix(&text, "{") || !absl::ConsumeSuffix(&text, "}")) {
    return absl::InternalError("postgres: create_transfers returned no array");
  }
  size_t count = 0;
  for (absl::string_view code : absl::StrSplit(text, ',')) {
    int value = 0;
    if (!absl::SimpleAtoi(code, &value) || value != kOk) {
      return absl::InternalError(
          absl::StrCat("postgres: transfer ", batch[count].id.low, " failed with ", code));
    }
    ++count;
  }
  if (count != batch.size()) return absl::InternalError("postgres: results missing");
  return absl::OkStatus();
}

absl::Status CreateAccounts(PGconn* connection, const std::vector<ledger::Account>& accounts) {
  std::string ids = "{";
  std::string constrained = "{";
  for (const ledger::Account& a : accounts) {
    const char* separator = ids.size() > 1 ? "," : "";
    absl::StrAppend(&ids, separator, a.id.low);
    absl::StrAppend(&constrained, separator,
                    (a.flags & ledger::kDebitsMustNotExceedCredits) ? "t" : "f");
  }
  ids += "}";
  constrained += "}";
  const std::array<const char*, 2> values = {ids.c_str(), constrained.c_str()};
  return Check(Result(PQexecParams(connection,
                                   "INSERT INTO accounts (id, debits_must_not_exceed_credits) "
                                   "SELECT * FROM unnest($1::bigint[], $2::boolean[])",
                                   values.size(), nullptr, values.data(), nullptr, nullptr, 0)),
               PGRES_COMMAND_OK, "accounts");
}

absl::Status Setup(PGconn* connection, LedgerWorkload* workload) {
  if (absl::Status status = Exec(connection, kPostgresSchema, "schema"); !status.ok()) {
    return status;
  }
  Result prepared(PQprepare(connection, kCreateTransfers, kCreateTransfersCall, 0, nullptr));
  if (absl::Status status = Check(prepared, PGRES_COMMAND_OK, "prepare"); !status.ok()) {
    return status;
  }
  if (absl::Status status = CreateAccounts(connection, workload->Accounts()); !status.ok()) {
    return status;
  }
  for (const std::vector<ledger::Transfer>& batch : workload->FundingBatches()) {
    if (absl::Status status = CreateTransfers(connection, batch); !status.ok()) return status;
  }
  // Start the timed part from a clean state, as a server that has been running would be.
  if (absl::Status status = Exec(connection, "VACUUM ANALYZE", "vacuum"); !status.ok()) {
    return status;
  }
  return Exec(connection, "CHECKPOINT", "checkpoint");
}

// Double entry held: the debits of all accounts equal their credits.
absl::Status CheckBalanced(PGconn* connection) {
  Result result(PQexec(connection, "SELECT sum(debits) = sum(credits) FROM accounts"));
  if (absl::Status status = Check(result, PGRES_TUPLES_OK, "sums"); !status.ok()) return status;
  if (std::string(PQgetvalue(result.get(), 0, 0)) != "t") {
    return absl::InternalError("postgres: debits and credits do not balance");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<WorkloadFigures> RunOnPostgres(const std::string& conninfo,
                                              const LedgerWorkloadOptions& options,
                                              absl::Duration duration) {
  Connection connection(PQconnectdb(conninfo.c_str()));
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return absl::UnavailableError(
        absl::StrCat("postgres: cannot connect: ", PQerrorMessage(connection.get())));
  }
  LedgerWorkload workload(options);
  if (absl::Status status = Setup(connection.get(), &workload); !status.ok()) return status;

  WorkloadFigures figures;
  const absl::Time start = absl::Now();
  while (absl::Now() - start < duration) {
    const std::vector<ledger::Transfer> batch = workload.NextPaymentBatch();
    const absl::Time sent = absl::Now();
    if (absl::Status status = CreateTransfers(connection.get(), batch); !status.ok()) {
      return status;
    }
    figures.batch_ms_max =
        std::max(figures.batch_ms_max, absl::ToDoubleMilliseconds(absl::Now() - sent));
    figures.transfers += batch.size();
    ++figures.batches;
  }
  figures.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (absl::Status status = CheckBalanced(connection.get()); !status.ok()) return status;
  return figures;
}

}  // namespace bitcontent::bench
