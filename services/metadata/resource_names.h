// The resource names of the metadata API ("nodes/{node}", "users/{user}",
// "uploads/{upload}") and their ids, in one place.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::metadata {

std::string NodeName(absl::string_view node_id);
std::string UserName(absl::string_view user_id);
std::string VersionName(absl::string_view node_id, absl::string_view version_id);

// The two ids of a version's name, "nodes/{node}/versions/{version}".
struct VersionIds {
  std::string node_id = {};
  std::string version_id = {};
};

// The ids in a version's name; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<VersionIds> VersionIdsIn(absl::string_view name, absl::string_view field);

// The id after the last '/': "nodes/01H..." -> "01H...". For names the service made.
absl::string_view IdOfName(absl::string_view name);

// The id in `name` = "<collection>/{id}" (collection "nodes", "uploads") when it is a
// valid id; INVALID_ARGUMENT naming the request field `field` otherwise.
absl::StatusOr<std::string> IdIn(absl::string_view name, absl::string_view collection,
                                 absl::string_view field);

}  // namespace bitcontent::metadata
