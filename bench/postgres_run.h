// The ledger workload on PostgreSQL through libpq, as fast as PostgreSQL does this work
// while keeping its guarantees: one transaction (one COMMIT, fsync'ed: synchronous_commit
// and fsync on) per batch of 8,000 transfers, each transfer checked and applied in order.
//
// Per transfer, as a SQL ledger does it: an INSERT into transfers, whose primary key on
// the id makes a resubmission a no-op (idempotency), then the debit UPDATE guarded by the
// overdraft check (`credits - debits >= amount` for constrained accounts; no row updated
// means the transfer fails and its INSERT is undone), then the credit UPDATE. A linked
// chain that fails has its earlier transfers undone in the same transaction. All of it
// runs in one PL/pgSQL function called once per batch with the batch as arrays: one round
// trip per batch and plans prepared once, rather than 24,000 statements over the wire
// (postgres_ledger.sql.h has the schema and the function).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/ledger_workload.h"

namespace bitcontent::bench {

// Creates the schema and the accounts and funds them (untimed), then sends payment
// batches until `duration` has passed. Every result must be OK.
absl::StatusOr<WorkloadFigures> RunOnPostgres(const std::string& conninfo,
                                              const LedgerWorkloadOptions& options,
                                              absl::Duration duration);

}  // namespace bitcontent::bench
