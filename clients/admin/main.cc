// bitcontent-admin: the operator's command-line tool. Log in first with `bitcontent
// login` as a member listed in accounts' --operator_emails. See docs/operations.md.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "clients/admin/import_command.h"
#include "clients/admin/member_commands.h"
#include "clients/admin/payout_commands.h"
#include "clients/common/command_line.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);  // `import -` reads millions of lines from stdin
  bitcontent::admin::AdminOptions options;
  CLI::App app{"bitcontent-admin: operate a BitContent suite"};
  app.require_subcommand(1);
  app.add_option("--server", options.server, "The gateway's REST address (where you logged in)")
      ->envname("BITCONTENT_SERVER")
      ->check(bitcontent::clients::ServerAddressCheck())
      ->capture_default_str();
  app.add_option("--grpc-server", options.grpc_server,
                 "The gateway's public gRPC address, on the host of --server (default: its "
                 "port + 1, as the port plan has it)")
      ->envname("BITCONTENT_GRPC_SERVER");
  app.add_option("--config-dir", options.config_dir,
                 "Where the login is kept (default: $XDG_CONFIG_HOME/bitcontent)")
      ->envname("BITCONTENT_CONFIG_DIR");

  int exit_code = 0;
  bitcontent::admin::AddImportCommand(app, options, &exit_code);
  bitcontent::admin::AddMemberCommands(app, options, &exit_code);
  bitcontent::admin::AddPayoutCommands(app, options, &exit_code);
  std::vector<std::string> args(argv + 1, argv + argc);
  std::reverse(args.begin(), args.end());  // CLI11 takes a vector last argument first.
  if (std::optional<int> refused = bitcontent::clients::ParseCommandLine(
          app, args, "bitcontent-admin", "bitcontent-admin --help")) {
    return *refused;
  }
  return exit_code;
}
