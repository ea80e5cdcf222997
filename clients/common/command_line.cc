#include "clients/common/command_line.h"

#include <cstdio>
#include <string>

#include "libs/client/api_client.h"

namespace bitcontent::clients {

CLI::Validator ServerAddressCheck() {
  return CLI::Validator(
      [](std::string& value) {
        absl::StatusOr<client::ServerAddress> address = client::ParseServer(value);
        return address.ok() ? std::string() : std::string(address.status().message());
      },
      "http://HOST:PORT");
}

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
