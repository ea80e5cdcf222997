// The resource names the metadata API builds ("nodes/{node}", "users/{user}",
// "nodes/{node}/versions/{version}"); libs/kit/resource_names.h parses them.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::metadata {

std::string NodeName(absl::string_view node_id);
std::string UserName(absl::string_view user_id);
std::string VersionName(absl::string_view node_id, absl::string_view version_id);

}  // namespace bitcontent::metadata
