// The wallet commands of the `bitcontent` CLI (Bitcache): wallet balance, address,
// history, pay, withdraw and payouts, each one call to the gateway's wallet routes.
#pragma once

#include <CLI/CLI.hpp>

#include "clients/cli/account_commands.h"

namespace bitcontent::cli {

// Adds `wallet` and its subcommands to `app`; outcomes go to `*exit_code` as for the
// account commands.
void AddWalletCommands(CLI::App& app, const GlobalOptions& options, int* exit_code);

}  // namespace bitcontent::cli
