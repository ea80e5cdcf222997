// The address file a service writes once it serves (--address_file): a small JSON
// object with the service name, its pid and every address it bound, e.g.
//   {"service": "wallet", "pid": 4242, "grpc": "127.0.0.1:40411", "admin": "127.0.0.1:40412"}
// Launchers (./dev up, the integration harness) start services on port 0 and read the
// real ports from here, so nothing ever races for a port.
#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"

namespace bitcontent::kit {

// Writes the file atomically (temporary file, then rename), so a reader never sees a
// half-written one.
absl::Status WriteAddressFile(const std::string& path, const std::string& service,
                              const std::map<std::string, std::string>& addresses);

}  // namespace bitcontent::kit
