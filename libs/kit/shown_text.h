// Checks of free text a service stores and later shows to another person: a payment's
// memo (shown to the payee), a payout's reject reason (shown to the member), the title a
// seller gives a file or a paywall resource (shown to buyers). Such text is printed in terminals
// and pages the writer does not control, so it must be one line of plain UTF-8: no control
// characters (a newline, an ESC starting a terminal escape sequence, NUL) and no bidirectional
// overrides (which make text read differently from what it is).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "absl/status/status.h"

namespace bitcontent::kit {

// Whether `text` is valid UTF-8 (RFC 3629: no overlong forms, no surrogates).
bool IsUtf8(std::string_view text);

// OK when `text` is valid UTF-8 of at most `characters_max` code points without control
// characters (U+0000 to U+001F, U+007F to U+009F), line or paragraph separators (U+2028,
// U+2029) or bidirectional controls (U+202A to U+202E, U+2066 to U+2069);
// INVALID_ARGUMENT naming `field`, the character and its position otherwise.
absl::Status CheckShownText(std::string_view text, std::string_view field, size_t characters_max);

}  // namespace bitcontent::kit
