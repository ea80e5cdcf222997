// The account commands of the `bitcontent` CLI: signup, claim, login, logout, whoami,
// passwd, recovery export/restore, sessions list/revoke, apikey create/list/revoke. Each adds
// its subcommand to the app and runs through the client engine in libs/client.
#pragma once

#include <CLI/CLI.hpp>

#include "libs/client/account_client.h"

namespace bitcontent::cli {

// Options every command shares, filled by CLI11 before a command runs.
struct GlobalOptions {
  std::string server = "http://127.0.0.1:7700";
  std::string config_dir = {};
  uint64_t kdf_ops = 3;
  uint64_t kdf_mem_bytes = 64ull << 20;
  std::string device_name = {};  // main sets "cli on <host name>"
};

// Adds the account subcommands to `app`. A command's outcome (0 success, 1 failure,
// with the message printed) is stored in `*exit_code` when it runs.
void AddAccountCommands(CLI::App& app, const GlobalOptions& options, int* exit_code);

}  // namespace bitcontent::cli
