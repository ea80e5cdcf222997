// How `bitcontent-admin` reaches the suite. The operator logs in once with
// `bitcontent login` (same config dir); that login's access token, refreshed as needed,
// is the bearer token of every admin call. Calls go to the gateway's public gRPC API,
// which lets *AdminService methods through for members with the operator role only.
#pragma once

#include <grpcpp/client_context.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/accounts_admin_service.grpc.pb.h"
#include "bitcontent/wallet/v1/wallet_admin_service.grpc.pb.h"

namespace bitcontent::admin {

// Options every command shares, filled by CLI11 before a command runs.
struct AdminOptions {
  std::string server = "http://127.0.0.1:7700";  // gateway REST, where the login lives
  std::string grpc_server = {};  // gateway public gRPC; default: --server's host, port + 1
  std::string config_dir = {};   // default: $XDG_CONFIG_HOME/bitcontent
};

class OperatorConnection {
 public:
  // Reads the operator's login and opens the channel. FAILED_PRECONDITION (with what to
  // do) when nobody is logged in.
  static absl::StatusOr<std::unique_ptr<OperatorConnection>> Open(const AdminOptions& options);

  // A context for one call: the operator's bearer token, a fresh request id and a
  // deadline `timeout` from now.
  std::unique_ptr<grpc::ClientContext> NewContext(absl::Duration timeout) const;

  accounts::v1::AccountsAdminService::Stub& accounts() { return *accounts_; }
  wallet::v1::WalletAdminService::Stub& wallet() { return *wallet_; }

 private:
  OperatorConnection(std::string access_token,
                     std::unique_ptr<accounts::v1::AccountsAdminService::Stub> accounts,
                     std::unique_ptr<wallet::v1::WalletAdminService::Stub> wallet)
      : access_token_(std::move(access_token)),
        accounts_(std::move(accounts)),
        wallet_(std::move(wallet)) {}

  const std::string access_token_;
  const std::unique_ptr<accounts::v1::AccountsAdminService::Stub> accounts_;
  const std::unique_ptr<wallet::v1::WalletAdminService::Stub> wallet_;
};

// Makes `group` (a command that only holds subcommands) answer a missing or unknown
// subcommand with its own help, naming what was not understood, and exit code 2, instead
// of CLI11's top-level message.
void ExplainSubcommands(CLI::App* group, int* exit_code);

// Runs `body` with a connection built from `options` and turns its status into the
// exit code (0, or 1 with the message on stderr). `body` may set a code of its own.
std::function<void()> Run(const AdminOptions& options, int* exit_code,
                          std::function<absl::Status(OperatorConnection&)> body);

}  // namespace bitcontent::admin
