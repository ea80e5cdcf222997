// Resource names of the blobs API ("blobs/{id}", "uploadSessions/{id}") and of the file
// versions that refer to blobs ("nodes/{node}/versions/{version}"), parsed in one place
// so that every request naming one is checked the same way before an id reaches a key.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::blobs {

// The last segment of a name already known to be well formed: "blobs/ABC" -> "ABC".
absl::string_view IdOfName(absl::string_view name);

// The id in `name` = "<collection>/{id}"; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> IdIn(absl::string_view name, absl::string_view collection,
                                 absl::string_view field);

// OK when `name` is "nodes/{id}/versions/{id}" with two valid ids (libs/ids), the name
// of a file version as metadata writes it; INVALID_ARGUMENT naming `field` otherwise.
absl::Status ValidateVersionName(absl::string_view name, absl::string_view field);

}  // namespace bitcontent::blobs
