// The ledger workload on the engine in-process: a real RocksDB under `dir` (on disk),
// every commit a WriteBatch with sync=true, one batch of payments at a time, each durable
// before the next is sent (as one client of the wallet service would see it).
#pragma once

#include <filesystem>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/ledger_workload.h"

namespace bitcontent::bench {

struct EngineFigures {
  WorkloadFigures workload;
  uint64_t commits = 0;  // during the timed payments
};

// Creates the accounts and funds them, then sends payment batches until `duration` has
// passed. Every result must be OK; anything else is an error.
absl::StatusOr<EngineFigures> RunOnEngine(const std::filesystem::path& dir,
                                          const LedgerWorkloadOptions& options,
                                          absl::Duration duration);

}  // namespace bitcontent::bench
