#include "libs/kit/address_file.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace bitcontent::kit {

absl::Status WriteAddressFile(const std::string& path, const std::string& service,
                              const std::map<std::string, std::string>& addresses) {
  // Names and addresses are ours (service names, host:port), never user input, so they
  // need no JSON escaping.
  std::string json = absl::StrCat("{\"service\": \"", service, "\", \"pid\": ", getpid());
  for (const auto& [name, address] : addresses) {
    absl::StrAppend(&json, ", \"", name, "\": \"", address, "\"");
  }
  json.append("}\n");

  const std::string temporary = absl::StrCat(path, ".tmp");
  std::FILE* file = std::fopen(temporary.c_str(), "w");
  if (file == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot create ", temporary));
  }
  const bool written = std::fwrite(json.data(), 1, json.size(), file) == json.size();
  if (std::fclose(file) != 0 || !written) {
    return absl::UnavailableError(absl::StrCat("cannot write ", temporary));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::kit
