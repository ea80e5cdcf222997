#include "clients/admin/operator_connection.h"

#include <cstdio>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/client/account_client.h"
#include "libs/client/credential_store.h"
#include "libs/kit/channel.h"

namespace bitcontent::admin {
namespace {

// "host" and "port" of "http://host:port" or "host:port" ("[::1]:7700" too).
std::pair<std::string, std::string> HostAndPort(absl::string_view address) {
  absl::ConsumePrefix(&address, "http://");
  absl::ConsumePrefix(&address, "https://");
  address = address.substr(0, address.find('/'));
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || address.find(']', colon) != absl::string_view::npos) {
    return {absl::AsciiStrToLower(address), ""};
  }
  return {absl::AsciiStrToLower(address.substr(0, colon)), std::string(address.substr(colon + 1))};
}

// Where the operator's token goes: the gateway's public gRPC port on the host the login
// was made with (by the port plan, the REST port + 1, unless --grpc-server says), never
// another host, where the token would be anyone's to use.
absl::StatusOr<std::string> GrpcServerOf(const AdminOptions& options) {
  const auto [host, port] = HostAndPort(options.server);
  if (options.grpc_server.empty()) {
    int rest_port = 0;
    if (!absl::SimpleAtoi(port, &rest_port) || rest_port <= 0 || rest_port >= 65535) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot tell the gRPC address from --server ", options.server,
                       ": give --grpc-server host:port (the gateway's public gRPC address)"));
    }
    return absl::StrCat(host, ":", rest_port + 1);
  }
  if (HostAndPort(options.grpc_server).first != host) {
    return absl::FailedPreconditionError(absl::StrCat(
        "--grpc-server ", options.grpc_server, " is not on the host of --server ", options.server,
        ", where you logged in: the operator's token is sent only there"));
  }
  return options.grpc_server;
}

}  // namespace

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
  absl::StatusOr<std::string> grpc_server = GrpcServerOf(options);
  if (!grpc_server.ok()) return grpc_server.status();
  const std::shared_ptr<grpc::Channel> channel = kit::NewChannel(*grpc_server);
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
