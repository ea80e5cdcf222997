// What members were paid and what they bought: `bitcontent earnings` (a table per file
// and period, and the total) and `bitcontent purchases` (newest first), through the
// client engine's PricingClient.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/earnings.pb.h"
#include "clients/cli/account_commands.h"

namespace bitcontent::cli {

// Adds `earnings` and `purchases` to `app` (outcome in `*exit_code`).
void AddEarningsCommands(CLI::App& app, const GlobalOptions& options, int* exit_code);

// The window of `earnings --since DAYS`: from the start of the UTC day DAYS - 1 days
// before `now`'s to the start of the next UTC day, so today counts whole.
struct EarningsWindow {
  absl::Time start;
  absl::Time end;
};
EarningsWindow WindowOf(int days, absl::Time now);

// "day", "month" or "total" -> the granularity; INVALID_ARGUMENT otherwise.
absl::StatusOr<pricing::v1::EarningsGranularity> GranularityOf(const std::string& by);

}  // namespace bitcontent::cli
