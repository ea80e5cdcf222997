// `bitcontent-admin import FILE`: restores the old service's members from a JSON Lines
// file (format in libs/client/legacy_import_file.h) as pending-claim accounts. The file
// streams to AccountsAdminService.ImportLegacyAccounts in batches while the answers come
// back, so a million lines take seconds; every rejected line is printed with its line
// number and skipped. Running the same file again creates nothing new.
#pragma once

#include <CLI/CLI.hpp>

#include "clients/admin/operator_connection.h"

namespace bitcontent::admin {

// The exit code of an import that finished but rejected some lines.
inline constexpr int kExitSomeLinesRejected = 3;

void AddImportCommand(CLI::App& app, const AdminOptions& options, int* exit_code);

}  // namespace bitcontent::admin
