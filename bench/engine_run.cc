#include "bench/engine_run.h"

#include <algorithm>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/ledger/ledger.h"
#include "libs/store/store.h"

namespace bitcontent::bench {
namespace {

// Every result of a batch must be OK: the workload is built so that nothing fails.
template <typename Result>
absl::Status AllOk(const absl::StatusOr<std::vector<Result>>& results, const char* what) {
  if (!results.ok()) return results.status();
  for (Result r : *results) {
    if (r != Result::kOk) {
      return absl::InternalError(
          absl::StrCat("ledger: ", what, ": ", std::string(ledger::ResultName(r))));
    }
  }
  return absl::OkStatus();
}

absl::Status Setup(ledger::Ledger* engine, LedgerWorkload* workload) {
  const std::vector<ledger::Account> accounts = workload->Accounts();
  for (size_t begin = 0; begin < accounts.size(); begin += ledger::kBatchEventsMax) {
    const size_t size = std::min(ledger::kBatchEventsMax, accounts.size() - begin);
    absl::Status status = AllOk(
        engine->CreateAccounts(absl::MakeConstSpan(accounts).subspan(begin, size)), "accounts");
    if (!status.ok()) return status;
  }
  for (const std::vector<ledger::Transfer>& batch : workload->FundingBatches()) {
    absl::Status status = AllOk(engine->CreateTransfers(batch), "funding");
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<EngineFigures> RunOnEngine(const std::filesystem::path& dir,
                                          const LedgerWorkloadOptions& options,
                                          absl::Duration duration) {
  auto store = store::Store::Open({.path = (dir / "db").string(),
                                   .column_families = ledger::ColumnFamilies(),
                                   .family_options = ledger::ColumnFamilyOptions()});
  if (!store.ok()) return store.status();
  auto index_store = ledger::OpenIndexStore((dir / "index").string());
  if (!index_store.ok()) return index_store.status();
  auto engine = ledger::Ledger::Open(store->get(), index_store->get(), {});
  if (!engine.ok()) return engine.status();
  LedgerWorkload workload(options);
  if (absl::Status status = Setup(engine->get(), &workload); !status.ok()) return status;

  EngineFigures figures;
  const uint64_t commits_before = (*engine)->commit_count();
  const absl::Time start = absl::Now();
  while (absl::Now() - start < duration) {
    const std::vector<ledger::Transfer> batch = workload.NextPaymentBatch();
    const absl::Time sent = absl::Now();
    absl::Status status = AllOk((*engine)->CreateTransfers(batch), "payments");
    if (!status.ok()) return status;
    figures.workload.batch_ms_max =
        std::max(figures.workload.batch_ms_max, absl::ToDoubleMilliseconds(absl::Now() - sent));
    figures.workload.transfers += batch.size();
    ++figures.workload.batches;
  }
  figures.workload.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  figures.commits = (*engine)->commit_count() - commits_before;
  const ledger::Totals totals = (*engine)->totals();
  if (!totals.Balanced()) return absl::InternalError("ledger: totals do not balance");
  return figures;
}

}  // namespace bitcontent::bench
