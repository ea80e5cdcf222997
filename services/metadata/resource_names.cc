#include "services/metadata/resource_names.h"

#include "absl/strings/str_cat.h"

namespace bitcontent::metadata {

std::string NodeName(absl::string_view node_id) { return absl::StrCat("nodes/", node_id); }
std::string UserName(absl::string_view user_id) { return absl::StrCat("users/", user_id); }

std::string VersionName(absl::string_view node_id, absl::string_view version_id) {
  return absl::StrCat("nodes/", node_id, "/versions/", version_id);
}

}  // namespace bitcontent::metadata
