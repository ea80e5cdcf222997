// Reading passwords: from the terminal without echo when there is one, otherwise one
// line per password from standard input (scripts and tests pipe them in).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::cli {

// Longest password accepted; Argon2id hashes any length, this only bounds memory.
inline constexpr size_t kPasswordLengthMax = 1024;

// Asks for a password with `prompt`. With `confirm`, asks twice and fails when the two
// differ (only on a terminal). Fails on an empty password or end of input.
absl::StatusOr<std::string> ReadPassword(absl::string_view prompt, bool confirm);

}  // namespace bitcontent::cli
