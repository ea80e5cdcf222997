// How both command-line tools (bitcontent, bitcontent-admin) read their command line:
// a word where a command was due is named ("no command called ..."), --help exits 0 and
// a command line in error exits 2, the usage error of Unix tools, never CLI11's own
// codes (101 to 114), which scripts cannot tell from anything.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace bitcontent::clients {

// Checks a --server value the way the tools will read it (client::ParseServer), so a
// malformed one is a usage error (exit 2) before anything runs.
CLI::Validator ServerAddressCheck();

// Parses `args` (in CLI11's order: the last argument first) into `app`, whose name in
// messages is `program` and whose commands `help` lists ("bitcontent help"). Nullopt
// when the command is to run; else the exit code, with what is wrong said on stderr.
std::optional<int> ParseCommandLine(CLI::App& app, std::vector<std::string> args,
                                    const std::string& program, const std::string& help);

}  // namespace bitcontent::clients
