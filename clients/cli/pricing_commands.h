// The paid-content commands of the `bitcontent` CLI: price (set, show, rm) for creators,
// buy and purchases for buyers, earnings for everyone who is paid a share, through the
// client engine's PricingClient. Each prints plain "field: value" lines on stdout that a
// person reads and a script parses ("purchase: purchases/ID", "receipt: ID").
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "clients/cli/account_commands.h"
#include "libs/client/account_client.h"
#include "libs/client/file_transfer.h"

namespace bitcontent::cli {

// Adds `price`, `buy`, `purchases` and `earnings` to `app` (outcome in `*exit_code`).
void AddPricingCommands(CLI::App& app, const GlobalOptions& options, int* exit_code);

// The --max-price a member gave: none when `text` is empty, else the amount it says.
absl::StatusOr<std::optional<uint64_t>> MaxPriceOf(const std::string& text);

// For `get` of a priced file through its link: makes sure the member may download it,
// buying it first (printing as `buy` does) only when `max_price_msat` is set and covers
// the price, and gives `file` its key from pricing when the link carried none. Without
// --max-price, FAILED_PRECONDITION saying the price and how to buy. `folder_again`, when
// not empty, says the file is one inside a linked folder (named by its name, else "the
// linked file") and how the member runs again to buy it ("get the folder again").
absl::Status PrepareBoughtFile(client::AccountClient& account, client::LinkedFile& file,
                               std::optional<uint64_t> max_price_msat,
                               const std::string& request_id, absl::string_view folder_again = "");

}  // namespace bitcontent::cli
