// The operator's commands on one member: `claim-token` (a fresh one-time claim token
// for an imported member), `quota set` (storage limit) and `user disable|enable`.
#pragma once

#include <CLI/CLI.hpp>

#include "clients/admin/operator_connection.h"

namespace bitcontent::admin {

void AddMemberCommands(CLI::App& app, const AdminOptions& options, int* exit_code);

}  // namespace bitcontent::admin
