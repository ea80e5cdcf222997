// The transfer commands of the `bitcontent` CLI: put (upload, sealed on this device,
// resumable; `-` reads standard input), get (download, verified; also through a public
// link, without an account; `-` writes standard output), uploads (the unfinished ones
// that hold quota: list, abort) and link (create, revoke), through the client engine's
// FileTransfer, UnfinishedUploads and TreeClient.
#pragma once

#include <CLI/CLI.hpp>

#include "clients/cli/account_commands.h"

namespace bitcontent::cli {

// Adds put, get and uploads to `app` (outcome in `*exit_code`, as the account commands).
void AddTransferCommands(CLI::App& app, const GlobalOptions& options, int* exit_code);

// Adds `link create` and `link revoke`.
void AddLinkCommands(CLI::App& app, const GlobalOptions& options, int* exit_code);

}  // namespace bitcontent::cli
