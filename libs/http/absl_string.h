// Bridges std::string_view and absl::string_view. Debian's abseil is built with its own
// absl::string_view class rather than an alias of std::string_view, so text passed to
// absl's string functions (StrCat, StrSplit, EqualsIgnoreCase...) goes through these.
// Both directions are views: no copy, same lifetime as the viewed text.
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace bitcontent::http {

inline absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }

inline std::string_view FromAbsl(absl::string_view text) { return {text.data(), text.size()}; }

}  // namespace bitcontent::http
