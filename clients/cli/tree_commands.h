// The file-tree commands of the `bitcontent` CLI: mkdir, ls, mv (move and rename), rm (to
// the trash), trash, restore, purge, versions, retention, share, unshare and shared, by
// path, through the client engine's TreeClient (names are sealed on this device; the
// server sees ids and opaque bytes).
#pragma once

#include <CLI/CLI.hpp>

#include "clients/cli/account_commands.h"

namespace bitcontent::cli {

// Adds the tree subcommands to `app` (outcome in `*exit_code`, as the account commands).
void AddTreeCommands(CLI::App& app, const GlobalOptions& options, int* exit_code);

}  // namespace bitcontent::cli
