// The operator's commands on withdrawals (WalletAdminService, through the gateway's
// public gRPC API like every admin command):
//
//   bitcontent-admin payouts list [--state pending|approved|rejected|cancelled|all]
//   bitcontent-admin payouts approve PAYOUT --txid HEX   (after broadcasting it)
//   bitcontent-admin payouts reject PAYOUT --reason TEXT (the member is shown it)
//
// PAYOUT is the id `payouts list` shows, or the whole "users/{user}/wallet/payouts/{id}".
// A decision is final: repeating it answers the same payout, a different one is refused.
#pragma once

#include <CLI/CLI.hpp>

#include "clients/admin/operator_connection.h"

namespace bitcontent::admin {

void AddPayoutCommands(CLI::App& app, const AdminOptions& options, int* exit_code);

}  // namespace bitcontent::admin
