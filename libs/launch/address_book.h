// Reads what a service wrote with --address_file (see libs/kit/address_file.h): a flat
// JSON object of names to strings or integers.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::launch {

// Parses the flat JSON object the kit writes. Nested values are not supported: the
// file is ours, so anything else is an error that names the offending position.
absl::StatusOr<std::map<std::string, std::string>> ParseAddressFile(absl::string_view json);

// Reads and parses `path`; NotFound while the service has not written it yet.
absl::StatusOr<std::map<std::string, std::string>> ReadAddressFile(const std::string& path);

}  // namespace bitcontent::launch
