// bitcontent: the command-line client. See README.md for a five-minute tour.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli/account_commands.h"
#include "clients/cli/earnings_commands.h"
#include "clients/cli/pricing_commands.h"
#include "clients/cli/transfer_commands.h"
#include "clients/cli/tree_commands.h"
#include "clients/cli/wallet_commands.h"
#include "clients/common/command_line.h"
#include "libs/heap/heap_tuning.h"

int main(int argc, char** argv) {
  bitcontent::heap::KeepFreedMemory();
  bitcontent::cli::GlobalOptions options;
  CLI::App app{"bitcontent: end-to-end-encrypted storage and the Bitcache wallet", "bitcontent"};
  app.require_subcommand(1);
  app.add_option("--server", options.server, "The gateway's REST address")
      ->envname("BITCONTENT_SERVER")
      ->check(bitcontent::clients::ServerAddressCheck())
      ->capture_default_str();
  app.add_option("--config-dir", options.config_dir,
                 "Where credentials are kept (default: $XDG_CONFIG_HOME/bitcontent)")
      ->envname("BITCONTENT_CONFIG_DIR");
  // Two devices of one member should tell apart in `sessions list`: name them by host.
  char host[256] = {};
  options.device_name = gethostname(host, sizeof(host) - 1) == 0 && host[0] != '\0'
                            ? absl::StrCat("cli on ", host)
                            : "cli";
  app.add_option("--device-name", options.device_name, "This device's name in session lists")
      ->envname("BITCONTENT_DEVICE_NAME")
      ->capture_default_str();
  // Argon2id cost for new passwords. Lowering it makes passwords cheaper to guess; it
  // exists for tests and slow machines, and the server enforces its own minimum.
  app.add_option("--kdf-ops", options.kdf_ops)->envname("BITCONTENT_KDF_OPS")->group("");
  app.add_option("--kdf-mem-bytes", options.kdf_mem_bytes)
      ->envname("BITCONTENT_KDF_MEM_BYTES")
      ->group("");

  int exit_code = 0;
  bitcontent::cli::AddAccountCommands(app, options, &exit_code);
  bitcontent::cli::AddTreeCommands(app, options, &exit_code);
  bitcontent::cli::AddTransferCommands(app, options, &exit_code);
  bitcontent::cli::AddLinkCommands(app, options, &exit_code);
  bitcontent::cli::AddWalletCommands(app, options, &exit_code);
  bitcontent::cli::AddPricingCommands(app, options, &exit_code);
  bitcontent::cli::AddEarningsCommands(app, options, &exit_code);
  // `bitcontent help [COMMAND]` is `bitcontent [COMMAND] --help`, as in git: the first
  // word after the global options (and their values).
  std::vector<std::string> args(argv + 1, argv + argc);
  size_t first = 0;
  while (first < args.size() && args[first].size() > 1 && args[first][0] == '-') {
    const size_t equals = args[first].find('=');
    const CLI::Option* option = app.get_option_no_throw(args[first].substr(0, equals));
    const bool value_follows =
        option != nullptr && option->get_type_size() != 0 && equals == std::string::npos;
    first += value_follows ? 2 : 1;
  }
  if (first < args.size() && args[first] == "help") {
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(first));
    const std::vector<CLI::App*> commands = app.get_subcommands({});
    const bool known = first >= args.size() ||
                       std::any_of(commands.begin(), commands.end(), [&](const CLI::App* command) {
                         return command->check_name(args[first]);
                       });
    if (!known) {
      std::fprintf(stderr, "bitcontent: no command called \"%s\"; `bitcontent help` lists them\n",
                   args[first].c_str());
      return 2;
    }
    args.push_back("--help");
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes a vector last argument first.
  if (std::optional<int> refused =
          bitcontent::clients::ParseCommandLine(app, args, "bitcontent", "bitcontent help")) {
    return *refused;
  }
  return exit_code;
}
