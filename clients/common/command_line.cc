#include "clients/common/command_line.h"

#include <cstdio>

namespace bitcontent::clients {

std::optional<int> ParseCommandLine(CLI::App& app, std::vector<std::string> args,
                                    const std::string& program, const std::string& help) {
  try {
    app.parse(args);
  } catch (const CLI::ParseError& error) {
    // A word where a command was due (`bitcontent bogus`, `bitcontent wallet frob`).
    const std::vector<std::string> left = app.remaining(/*recurse=*/true);
    if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr && !left.empty()) {
      std::fprintf(stderr, "%s: no command called \"%s\"; `%s` lists them\n", program.c_str(),
                   left.front().c_str(), help.c_str());
      return 2;
    }
    return app.exit(error) == 0 ? 0 : 2;
  }
  return std::nullopt;
}

}  // namespace bitcontent::clients
