#include "services/blobs/resource_names.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"

namespace bitcontent::blobs {

absl::string_view IdOfName(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

absl::StatusOr<std::string> IdIn(absl::string_view name, absl::string_view collection,
                                 absl::string_view field) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, collection) || !absl::ConsumePrefix(&id, "/") ||
      !ids::IsValidId(id)) {
    return kit::FieldError(field, absl::StrCat("must be ", collection, "/{id}"));
  }
  return std::string(id);
}

absl::Status ValidateVersionName(absl::string_view name, absl::string_view field) {
  absl::string_view rest = name;
  bool valid = absl::ConsumePrefix(&rest, "nodes/") && rest.size() > ids::kIdLength &&
               ids::IsValidId(rest.substr(0, ids::kIdLength));
  // Ids have a fixed length, so the node id ends exactly where "/versions/" must begin.
  if (valid) rest.remove_prefix(ids::kIdLength);
  valid = valid && absl::ConsumePrefix(&rest, "/versions/") && ids::IsValidId(rest);
  if (!valid) return kit::FieldError(field, "must be nodes/{node}/versions/{version}");
  return absl::OkStatus();
}

}  // namespace bitcontent::blobs
