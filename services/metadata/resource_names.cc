#include "services/metadata/resource_names.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"

namespace bitcontent::metadata {

std::string NodeName(absl::string_view node_id) { return absl::StrCat("nodes/", node_id); }
std::string UserName(absl::string_view user_id) { return absl::StrCat("users/", user_id); }

std::string VersionName(absl::string_view node_id, absl::string_view version_id) {
  return absl::StrCat("nodes/", node_id, "/versions/", version_id);
}

absl::StatusOr<VersionIds> VersionIdsIn(absl::string_view name, absl::string_view field) {
  const size_t split = name.find("/versions/");
  if (split != absl::string_view::npos) {
    absl::StatusOr<std::string> node_id = IdIn(name.substr(0, split), "nodes", field);
    absl::string_view version_id = name.substr(split + std::string_view("/versions/").size());
    if (node_id.ok() && ids::IsValidId(version_id)) {
      return VersionIds{.node_id = *std::move(node_id), .version_id = std::string(version_id)};
    }
  }
  return kit::FieldError(
      field, absl::StrCat("must be nodes/{node}/versions/{version}, not \"", name, "\""));
}

absl::string_view IdOfName(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

absl::StatusOr<std::string> IdIn(absl::string_view name, absl::string_view collection,
                                 absl::string_view field) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, collection) || !absl::ConsumePrefix(&id, "/") ||
      !ids::IsValidId(id)) {
    return kit::FieldError(field,
                           absl::StrCat("must be ", collection, "/{id}, not \"", name, "\""));
  }
  return std::string(id);
}

}  // namespace bitcontent::metadata
