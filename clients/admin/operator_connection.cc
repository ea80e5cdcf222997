#include "clients/admin/operator_connection.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "libs/client/account_client.h"
#include "libs/client/credential_store.h"
#include "libs/kit/channel.h"

namespace bitcontent::admin {

absl::StatusOr<std::unique_ptr<OperatorConnection>> OperatorConnection::Open(
    const AdminOptions& options) {
  absl::StatusOr<std::string> config_dir = options.config_dir.empty()
                                               ? client::DefaultConfigDirectory()
                                               : absl::StatusOr<std::string>(options.config_dir);
  if (!config_dir.ok()) return config_dir.status();
  absl::StatusOr<std::unique_ptr<client::AccountClient>> login =
      client::AccountClient::Create({.server = options.server, .config_dir = *config_dir});
  if (!login.ok()) return login.status();
  absl::StatusOr<std::string> token = (*login)->AccessToken();
  if (absl::IsNotFound(token.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "nobody is logged in; run `bitcontent --server ", options.server,
        " login <operator email>` first, as a member listed in accounts' --operator_emails"));
  }
  if (!token.ok()) return token.status();
  const std::shared_ptr<grpc::Channel> channel = kit::NewChannel(options.grpc_server);
  return std::unique_ptr<OperatorConnection>(new OperatorConnection(
      *std::move(token), accounts::v1::AccountsAdminService::NewStub(channel),
      wallet::v1::WalletAdminService::NewStub(channel)));
}

std::unique_ptr<grpc::ClientContext> OperatorConnection::NewContext(absl::Duration timeout) const {
  std::unique_ptr<grpc::ClientContext> context = kit::NewCallContext(timeout);
  context->AddMetadata("authorization", absl::StrCat("Bearer ", access_token_));
  return context;
}

void ExplainSubcommands(CLI::App* group, int* exit_code) {
  // What follows the group's name and is no subcommand of it lands in its extras.
  group->allow_extras();
  group->callback([group, exit_code] {
    if (!group->get_subcommands().empty()) return;
    const std::vector<std::string> extras = group->remaining();
    if (extras.empty()) {
      std::fprintf(stderr, "bitcontent-admin %s: say which command\n\n", group->get_name().c_str());
    } else {
      std::fprintf(stderr, "bitcontent-admin %s: unknown command \"%s\"\n\n",
                   group->get_name().c_str(), extras.front().c_str());
    }
    std::fprintf(stderr, "%s", group->help().c_str());
    *exit_code = 2;
  });
}

std::function<void()> Run(const AdminOptions& options, int* exit_code,
                          std::function<absl::Status(OperatorConnection&)> body) {
  return [&options, exit_code, body = std::move(body)] {
    absl::StatusOr<std::unique_ptr<OperatorConnection>> connection =
        OperatorConnection::Open(options);
    const absl::Status status = connection.ok() ? body(**connection) : connection.status();
    if (!status.ok()) {
      std::fprintf(stderr, "bitcontent-admin: %s\n", std::string(status.message()).c_str());
      *exit_code = 1;
    }
  };
}

}  // namespace bitcontent::admin
