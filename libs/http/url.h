// URL helpers for request targets: percent-decoding, query-string parsing and splitting
// an origin-form target ("/v1/files/a%20b?x=1") into its path and query.
//
// The server uses these to hand handlers decoded values; tools and tests may use them
// directly. Decoding never trusts its input: malformed escapes are errors, not crashes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace bitcontent::http {

// Name/value pairs in the order they appeared (query parameters, path parameters).
using Params = std::vector<std::pair<std::string, std::string>>;

// Returns the value of the first pair named exactly `name`, or nullopt.
std::optional<std::string_view> FindParam(const Params& params, std::string_view name);

// Decodes %XX escapes. With `plus_is_space` (query strings), '+' decodes to ' '.
// Returns InvalidArgument for a '%' not followed by two hex digits.
absl::StatusOr<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Parses "a=1&b=x%20y&flag" into {{"a","1"},{"b","x y"},{"flag",""}}; empty pieces are
// skipped. Returns InvalidArgument on a malformed escape.
absl::StatusOr<Params> ParseQuery(std::string_view query);

// The two parts of a request target, both still percent-encoded.
struct TargetParts {
  std::string_view path;   // Everything before '?'.
  std::string_view query;  // Everything after the first '?', without it; may be empty.
};

// Splits `target` at the first '?'. The views point into `target`.
TargetParts SplitTarget(std::string_view target);

}  // namespace bitcontent::http
