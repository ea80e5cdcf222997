#include "libs/kit/resource_names.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"

namespace bitcontent::kit {

absl::string_view IdOfName(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

absl::StatusOr<std::string> IdIn(absl::string_view name, absl::string_view collection,
                                 absl::string_view field) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, collection) || !absl::ConsumePrefix(&id, "/") ||
      !ids::IsValidId(id)) {
    return FieldError(field, absl::StrCat("must be ", collection, "/{id}, not \"", name, "\""));
  }
  return std::string(id);
}

absl::StatusOr<VersionIds> VersionIdsIn(absl::string_view name, absl::string_view field) {
  absl::string_view rest = name;
  // Ids have a fixed length, so the node id ends exactly where "/versions/" must begin.
  if (absl::ConsumePrefix(&rest, "nodes/") && rest.size() > ids::kIdLength &&
      ids::IsValidId(rest.substr(0, ids::kIdLength))) {
    const absl::string_view node_id = rest.substr(0, ids::kIdLength);
    rest.remove_prefix(ids::kIdLength);
    if (absl::ConsumePrefix(&rest, "/versions/") && ids::IsValidId(rest)) {
      return VersionIds{.node_id = std::string(node_id), .version_id = std::string(rest)};
    }
  }
  return FieldError(field,
                    absl::StrCat("must be nodes/{node}/versions/{version}, not \"", name, "\""));
}

}  // namespace bitcontent::kit
