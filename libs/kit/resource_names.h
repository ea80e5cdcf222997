// Resource names every service reads (AIP-122): "<collection>/{id}" and the name of a
// file version, "nodes/{node}/versions/{version}". One parser, so that a name is checked
// the same way in every service before an id in it reaches a key.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::kit {

// The segment after the last '/': "nodes/01H..." -> "01H...". For names already checked
// (the service made them, or a verified token carries them).
absl::string_view IdOfName(absl::string_view name);

// The id in `name` = "<collection>/{id}" when it is a valid id (libs/ids);
// INVALID_ARGUMENT naming the request field `field` otherwise.
absl::StatusOr<std::string> IdIn(absl::string_view name, absl::string_view collection,
                                 absl::string_view field);

// The two ids of a version's name.
struct VersionIds {
  std::string node_id = {};
  std::string version_id = {};
};

// The ids in "nodes/{node}/versions/{version}"; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<VersionIds> VersionIdsIn(absl::string_view name, absl::string_view field);

}  // namespace bitcontent::kit
